import { readFileSync } from 'node:fs';
import { EXIT, UsageError, connect, parseCommand, runGuarded, type CliIo } from './cli-context.ts';

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

Options:
${CONNECTION_HELP}`;

function print(io: CliIo, value: unknown, compact: unknown): void {
  io.out(JSON.stringify(value, null, compact || !io.isTTY ? undefined : 2));
}

/** `instant-tx query`. @example await queryCommand(['{"goals":{}}'], io) */
export function queryCommand(argv: readonly string[], io: CliIo): Promise<number> {
  return runGuarded(io, QUERY_USAGE, async () => {
    const { values, positionals } = parseCommand(argv, { file: { type: 'string' } });
    if (values.help) return (io.out(QUERY_USAGE), EXIT.ok);
    const text = values.file ? readFileSync(values.file, 'utf8') : positionals[0];
    if (text === undefined || positionals.length > (values.file ? 0 : 1)) throw new UsageError('query takes one InstaQL JSON argument, or --file');
    print(io, await connect(values).query(JSON.parse(text) as Record<string, object>), values.json);
    return EXIT.ok;
  });
}

/** `instant-tx token create|verify`. @example await tokenCommand(['create', 'a@b.co'], io) */
export function tokenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  return runGuarded(io, TOKEN_USAGE, async () => {
    const { values, positionals } = parseCommand(argv, {});
    if (values.help) return (io.out(TOKEN_USAGE), EXIT.ok);
    const [action, subject] = positionals;
    if (!subject || positionals.length !== 2) throw new UsageError('token takes an action and one argument');
    const db = connect(values);
    if (action === 'create') io.out(await db.auth.createToken(subject));
    else if (action === 'verify') print(io, await db.auth.verifyToken(subject), values.json);
    else throw new UsageError(`unknown token action '${action}'`);
    return EXIT.ok;
  });
}

/** `instant-tx user get|delete`. @example await userCommand(['get', '--email', 'a@b.co'], io) */
export function userCommand(argv: readonly string[], io: CliIo): Promise<number> {
  return runGuarded(io, USER_USAGE, async () => {
    const { values, positionals } = parseCommand(argv, { email: { type: 'string' }, id: { type: 'string' }, 'refresh-token': { type: 'string' } });
    if (values.help) return (io.out(USER_USAGE), EXIT.ok);
    const [action] = positionals;
    const lookups = [values.email && { email: values.email }, values.id && { id: values.id }, values['refresh-token'] && { refresh_token: values['refresh-token'] }].filter(Boolean);
    if (lookups.length !== 1 || positionals.length !== 1) throw new UsageError('user takes get or delete and exactly one of --email, --id, --refresh-token');
    const db = connect(values);
    const lookup = lookups[0] as { email: string } | { id: string } | { refresh_token: string };
    if (action === 'get') print(io, await db.auth.getUser(lookup), values.json);
    else if (action === 'delete') print(io, await db.auth.deleteUser(lookup), values.json);
    else throw new UsageError(`unknown user action '${action}'`);
    return EXIT.ok;
  });
}
