// Extracts every JSDoc `@example` under src/ into .examples/, one file per source file, so that
// `npm run typecheck` compiles them (tsconfig.examples.json). Each example becomes the body of its own
// exported async function, after imports of the source module's exports, of the package entry points
// and of the prelude (scripts/examples-prelude.ts: the few free variables examples may use).
// Plain TypeScript run by Node (type stripping), node: built-ins only.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One `@example` block: where it starts in its file, the symbol it documents, and its code. */
export interface Example {
  readonly line: number;
  readonly symbol: string;
  readonly code: string;
}

/** Whether an exported name can be imported as a value or only with `import type`. */
type ExportKind = 'value' | 'type';

/** What to extract, and where to. Paths are relative to `root`. */
export interface ExtractOptions {
  readonly root: string;
  readonly srcDir: string;
  readonly outDir: string;
  /** Modules whose exports every example may use (the package's entry points), in priority order. */
  readonly entries: readonly string[];
  /** A module of declarations the examples may use (`db`, `schema`, …), imported last. */
  readonly prelude?: string;
}

/** How much was extracted. */
export interface ExtractReport {
  readonly files: number;
  readonly examples: number;
}

const COMMENT_LINE = /^\s*\* ?/;
const TAG_LINE = /^@[a-zA-Z]+/;
/** `@example` as a tag (not inside `alyssa@example.com`). */
const EXAMPLE_TAG = /(?:^|\s)@example(?:\s|$)/;

/**
 * The `@example` blocks of a source text: multi-line (`* @example` then code lines up to the next tag
 * or the end of the comment) and inline (`/** Does X. @example code *\/`). An `@example` tag in any
 * other place (mid-line in a multi-line comment, or with no code) throws, so none is skipped unseen.
 */
export function findExamples(text: string): Example[] {
  const lines = text.split('\n');
  const examples: Example[] = [];
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start]!.trimStart().startsWith('/**')) continue;
    let end = start;
    while (end < lines.length && !lines[end]!.includes('*/')) end++;
    const symbol = symbolAfter(lines, end + 1);
    examples.push(...examplesInComment(lines.slice(start, end + 1), start + 1, symbol));
    start = end;
  }
  return examples;
}

/** The examples of one JSDoc comment whose first line is line `first` of its file. */
function examplesInComment(comment: readonly string[], first: number, symbol: string): Example[] {
  if (comment.length === 1) {
    if (!EXAMPLE_TAG.test(comment[0]!)) return [];
    const inline = /\s@example\s+(\S.*?)\s*\*\//.exec(comment[0]!);
    if (!inline) throw new Error(`line ${first}: an inline @example needs code before the closing */`);
    return [{ line: first, symbol, code: inline[1]!.trim() }];
  }
  const body = comment.map((line, index) => {
    const text = index === comment.length - 1 ? line.replace(/\s*\*\/.*$/, '') : line;
    return index === 0 ? text.replace(/^\s*\/\*\*\s?/, '') : text.replace(COMMENT_LINE, '');
  });
  const examples: Example[] = [];
  for (let i = 0; i < body.length; i++) {
    const tag = /^\s*@example(?:\s(.*))?$/.exec(body[i]!);
    if (!tag) {
      if (EXAMPLE_TAG.test(body[i]!)) throw new Error(`line ${first + i}: put @example at the start of its line`);
      continue;
    }
    const code = [(tag[1] ?? '').trim()];
    let j = i + 1;
    while (j < body.length && !TAG_LINE.test(body[j]!.trim())) code.push(body[j++]!);
    const text = code.join('\n').trim();
    if (text === '') throw new Error(`line ${first + i}: @example without code`);
    examples.push({ line: first + i, symbol, code: text });
    i = j - 1;
  }
  return examples;
}

/** The name declared on the first non-blank line from `index` (a function, class, member, …). */
function symbolAfter(lines: readonly string[], index: number): string {
  let line = lines[index];
  while (line !== undefined && line.trim() === '') line = lines[++index];
  if (line === undefined) return '';
  const modifiers = /^\s*(?:(?:export|declare|default|async|abstract|static|readonly|override)\s+)*/;
  const keyword = /(?:(?:function|class|const|let|var|interface|type|get|set)\b\s*\*?\s*)?/;
  const name = /(\[[^\]]+\]|[\w$]+)/;
  const declared = new RegExp(modifiers.source + keyword.source + name.source).exec(line);
  return declared?.[1] ?? '';
}

/**
 * The names a module exports and whether each is a value, following `export … from` and `export *`
 * through relative specifiers. Only `export` at the start of a line counts, so comments never do.
 */
export function exportedNames(file: string, seen = new Set<string>()): Map<string, ExportKind> {
  const names = new Map<string, ExportKind>();
  if (seen.has(file)) return names;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const add = (name: string, kind: ExportKind) => {
    if (name !== 'default' && names.get(name) !== 'value') names.set(name, kind);
  };
  const declaration =
    /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(function\*?|class|const|let|var|interface|type|enum|namespace)\s*\*?\s*([A-Za-z_$][\w$]*)/gm;
  for (const [, keyword, name] of text.matchAll(declaration)) {
    add(name!, keyword === 'interface' || keyword === 'type' ? 'type' : 'value');
  }
  for (const [, typeOnly, from] of text.matchAll(/^export\s+(type\s+)?\*\s+from\s+['"]([^'"]+)['"]/gm)) {
    for (const [name, kind] of exportedNames(resolveSpecifier(file, from!), seen)) {
      add(name, typeOnly ? 'type' : kind);
    }
  }
  for (const [, typeOnly, list, from] of text.matchAll(
    /^export\s+(type\s+)?\{([^}]*)\}\s*(?:from\s+['"]([^'"]+)['"])?/gm,
  )) {
    const source = from === undefined ? undefined : exportedNames(resolveSpecifier(file, from), new Set(seen));
    for (const item of list!.split(',').map((part) => part.trim())) {
      if (item === '') continue;
      const [, typeItem, original, alias] = /^(type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(item) ?? [];
      if (original === undefined) throw new Error(`${file}: cannot read export '${item}'`);
      const kind = typeOnly || typeItem ? 'type' : (source?.get(original) ?? localKind(text, original));
      add(alias ?? original, kind);
    }
  }
  return names;
}

/** Whether a name a module exports by `export { name }` is a value (declared or imported as one). */
function localKind(text: string, name: string): ExportKind {
  const escaped = name.replace(/\$/g, '\\$');
  return new RegExp(`^(?:export\\s+)?(?:interface|type)\\s+${escaped}\\b`, 'm').test(text) ? 'type' : 'value';
}

function resolveSpecifier(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) throw new Error(`${from}: cannot follow non-relative re-export '${specifier}'`);
  return resolve(dirname(from), specifier);
}

/**
 * The generated file for one source file: imports (the module's exports first, then the entry points'
 * and the prelude's names not already imported), then one `async function` per example.
 */
export function renderExamples(input: {
  readonly file: string;
  readonly examples: readonly Example[];
  readonly imports: readonly (readonly [string, ReadonlyMap<string, ExportKind>])[];
}): string {
  const taken = new Set<string>();
  const out = [`// Generated by scripts/extract-examples.ts from ${input.file}; do not edit.`];
  for (const [specifier, names] of input.imports) {
    const items: string[] = [];
    for (const [name, kind] of names) {
      if (taken.has(name)) continue;
      taken.add(name);
      items.push(kind === 'type' ? `type ${name}` : name);
    }
    if (items.length > 0) out.push(`import { ${items.join(', ')} } from '${specifier}';`);
  }
  for (const example of input.examples) {
    const name = `example_L${example.line}_${example.symbol.replace(/[^\w$]/g, '_')}`;
    out.push('', `// ${input.file}:${example.line} (${example.symbol})`);
    out.push(`export async function ${name}(): Promise<void> {`);
    for (const line of example.code.split('\n')) out.push(line === '' ? '' : `  ${line}`);
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

/** The examples of one source file; a misplaced `@example` names the file. */
function examplesOf(path: string, file: string): Example[] {
  try {
    return findExamples(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** Every `.ts` file under `dir`, sorted, as paths relative to `root`. */
function sourceFiles(root: string, dir: string): string[] {
  const entries = readdirSync(join(root, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

/** A relative import specifier from `fromFile` to `toFile`. */
function specifierTo(fromFile: string, toFile: string): string {
  const path = relative(dirname(fromFile), toFile).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** Writes `outDir` afresh: one file per source file holding examples, mirroring its path. */
export function extractExamples(options: ExtractOptions): ExtractReport {
  const root = resolve(options.root);
  const outDir = join(root, options.outDir);
  const entries = options.entries.map((entry) => [join(root, entry), exportedNames(join(root, entry))] as const);
  const prelude = options.prelude === undefined ? undefined : join(root, options.prelude);
  const preludeNames = prelude === undefined ? undefined : exportedNames(prelude);
  for (const name of preludeNames?.keys() ?? []) {
    const clash = entries.find(([, names]) => names.has(name));
    if (clash) throw new Error(`${options.prelude} exports '${name}', which ${relative(root, clash[0])} exports too`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  let files = 0;
  let count = 0;
  for (const file of sourceFiles(root, options.srcDir)) {
    const source = join(root, file);
    const examples = examplesOf(source, file);
    if (examples.length === 0) continue;
    const target = join(outDir, file);
    const imports: [string, ReadonlyMap<string, ExportKind>][] = [
      [specifierTo(target, source), exportedNames(source)],
      ...entries.map(
        ([entry, names]) => [specifierTo(target, entry), names] as [string, ReadonlyMap<string, ExportKind>],
      ),
    ];
    if (prelude !== undefined && preludeNames !== undefined) imports.push([specifierTo(target, prelude), preludeNames]);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, renderExamples({ file, examples, imports }));
    files++;
    count += examples.length;
  }
  return { files, examples: count };
}

if (import.meta.main) {
  const report = extractExamples({
    root: join(import.meta.dirname, '..'),
    srcDir: 'src',
    outDir: '.examples',
    entries: ['src/index.ts', 'src/server/index.ts'],
    prelude: 'scripts/examples-prelude.ts',
  });
  console.log(`extract-examples: ${report.examples} examples from ${report.files} files into .examples/`);
}
