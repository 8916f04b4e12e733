import { readFileSync } from 'node:fs';
import { isPlainObject } from '../protocol/json.ts';
import {
  CREDENTIAL_OPTIONS,
  EXIT,
  IMPERSONATION_OPTIONS,
  JSON_OPTION,
  parseCommand,
  printJson,
  type CliIo,
} from './cli-context.ts';
import { connect } from './connect.ts';
import { InputError } from './input-error.ts';
import { NotFoundError } from './not-found-error.ts';
import { parseJson } from './parse-json.ts';
import { UsageError } from './usage-error.ts';

const CONNECTION_HELP = `  --app-id, --admin-token, --api-uri   (or INSTANT_APP_ID, INSTANT_ADMIN_TOKEN, INSTANT_API_URI)
  --json               compact JSON output`;

export const QUERY_USAGE = `Usage: instant-tx query '<instaql json>' | --file FILE [options]

Runs an InstaQL query and prints the result (pretty, or compact with --json).

Options:
  --file FILE          read the query from a file
  --as-email E | --as-token T | --as-guest
${CONNECTION_HELP}`;

export const TOKEN_USAGE = `Usage: instant-tx token create EMAIL | token verify TOKEN [options]

create prints a new refresh token for EMAIL (creating the user if needed);
verify prints the user a refresh token belongs to.

Options:
${CONNECTION_HELP}`;

export const USER_USAGE = `Usage: instant-tx user get|delete (--email E | --id ID | --refresh-token T) [options]

get prints the user, or null; delete prints the deleted user, and exits 1 when there is none.

Options:
${CONNECTION_HELP}`;

/** `instant-tx query`. */
export async function queryCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('query', argv, {
    file: { type: 'string' },
    ...CREDENTIAL_OPTIONS,
    ...IMPERSONATION_OPTIONS,
    ...JSON_OPTION,
  });
  if (values.help) {
    io.out(QUERY_USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== (values.file === undefined ? 1 : 0))
    throw new UsageError('query takes one InstaQL JSON argument, or --file');
  const query =
    values.file === undefined
      ? parseJson(positionals[0] ?? '', 'the query argument', { singleLine: true })
      : parseJson(readFileSync(values.file, 'utf8'), values.file);
  if (!isPlainObject(query))
    throw new InputError(
      `${values.file ?? 'the query argument'}: an InstaQL query is a JSON object, like {"goals": {}}`,
    );
  printJson(io, await connect(values, io.env).query(query as Record<string, object>), values.json);
  return EXIT.ok;
}

/** `instant-tx token create|verify`. */
export async function tokenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('token', argv, { ...CREDENTIAL_OPTIONS, ...JSON_OPTION });
  if (values.help) {
    io.out(TOKEN_USAGE);
    return EXIT.ok;
  }
  const [action, subject] = positionals;
  if (action !== 'create' && action !== 'verify')
    throw new UsageError(action === undefined ? 'token takes create or verify' : `unknown token action '${action}'`);
  if (subject === undefined || positionals.length !== 2) throw new UsageError(`token ${action} takes one argument`);
  const db = connect(values, io.env);
  if (action === 'create') io.out(await db.auth.createToken(subject));
  else printJson(io, await db.auth.verifyToken(subject), values.json);
  return EXIT.ok;
}

type UserLookup = { email: string } | { id: string } | { refresh_token: string };

/** `instant-tx user get|delete`. */
export async function userCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('user', argv, {
    email: { type: 'string' },
    id: { type: 'string' },
    'refresh-token': { type: 'string' },
    ...CREDENTIAL_OPTIONS,
    ...JSON_OPTION,
  });
  if (values.help) {
    io.out(USER_USAGE);
    return EXIT.ok;
  }
  const [action] = positionals;
  if (action !== 'get' && action !== 'delete')
    throw new UsageError(action === undefined ? 'user takes get or delete' : `unknown user action '${action}'`);
  const lookups: UserLookup[] = [];
  if (values.email !== undefined) lookups.push({ email: values.email });
  if (values.id !== undefined) lookups.push({ id: values.id });
  if (values['refresh-token'] !== undefined) lookups.push({ refresh_token: values['refresh-token'] });
  const [lookup] = lookups;
  if (lookup === undefined || lookups.length > 1 || positionals.length !== 1)
    throw new UsageError(`user ${action} takes exactly one of --email, --id, --refresh-token`);
  const db = connect(values, io.env);
  if (action === 'get') {
    printJson(io, await db.auth.getUser(lookup), values.json);
    return EXIT.ok;
  }
  const deleted = await db.auth.deleteUser(lookup);
  if (deleted === null) throw new NotFoundError(`no user ${describeLookup(lookup)}; nothing was deleted`);
  printJson(io, deleted, values.json);
  return EXIT.ok;
}

function describeLookup(lookup: UserLookup): string {
  if ('email' in lookup) return `with email ${lookup.email}`;
  if ('id' in lookup) return `with id ${lookup.id}`;
  return 'with that refresh token';
}
