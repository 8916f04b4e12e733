import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlainObject } from '../protocol/json.ts';
import type { Rules } from '../server/permissions/rules.ts';
import { InputError } from './input-error.ts';
import { parseJson } from './parse-json.ts';

/**
 * Imports a schema file for `serve --schema` and returns its schema: the default export, else the
 * export named `schema`. A file that cannot be found or imported, or exports neither, is an
 * {@link InputError} naming it.
 */
export async function loadSchemaFile(path: string): Promise<unknown> {
  if (statSync(path).isDirectory()) throw new InputError(`--schema ${path} is a directory; pass the schema file`);
  let module: { default?: unknown; schema?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(path)).href)) as typeof module;
  } catch (error) {
    throw new InputError(`cannot load the schema file ${path}: ${String((error as Error).message).split('\n')[0]}`, {
      cause: error,
    });
  }
  const schema = module.default ?? module.schema;
  if (schema === undefined) throw new InputError(`${path} exports no schema: export it as default or as \`schema\``);
  return schema;
}

/**
 * Reads a rules file for `serve --rules` and `backup --rules`: JSON holding an object (a syntax error
 * names file, line and column; a directory is named as such). Whether the rules compile is checked by
 * the server as it starts.
 */
export function readRulesFile(path: string): Rules {
  // Node's read of a directory fails without the path, which the error boundary needs to name it.
  if (statSync(path).isDirectory()) throw new InputError(`--rules ${path} is a directory; pass the rules file`);
  const rules = parseJson(readFileSync(path, 'utf8'), path);
  if (!isPlainObject(rules))
    throw new InputError(`${path}: rules must be a JSON object, like {"goals": {"allow": {"view": "true"}}}`);
  return rules;
}
