import type { InstantAdminDatabase } from '../client/admin-database.ts';
import type { TransactRetry } from '../client/client-config.ts';
import { init } from '../client/init.ts';
import { isUuid } from '../protocol/uuid.ts';
import type { CliIo } from './cli-context.ts';
import { InputError } from './input-error.ts';
import { UsageError } from './usage-error.ts';

/** A credential's flag and environment variable, for messages that say where it comes from. */
interface Credential {
  readonly value: string | undefined;
  readonly source: string;
}

function credential(values: Record<string, unknown>, env: CliIo['env'], flag: string, variable: string): Credential {
  const fromFlag = values[flag];
  if (typeof fromFlag === 'string') return { value: fromFlag, source: `--${flag}` };
  return { value: env[variable] || undefined, source: variable };
}

/**
 * The client for a command. Credentials come from `--app-id` / `--admin-token` / `--api-uri`, else
 * `INSTANT_APP_ID` / `INSTANT_ADMIN_TOKEN` / `INSTANT_API_URI`, and are checked first, so a missing
 * or malformed one is named (`no admin token: pass --admin-token or set INSTANT_ADMIN_TOKEN`) rather
 * than found by the server. The admin token is needed unless acting `--as-token` or `--as-guest`.
 * `--as-email` / `--as-token` / `--as-guest` impersonate (for commands that declare them).
 */
export function connect(
  values: Record<string, unknown>,
  env: CliIo['env'],
  retry: { transact?: TransactRetry } = {},
): InstantAdminDatabase {
  if ([values['as-email'], values['as-token'], values['as-guest']].filter(Boolean).length > 1)
    throw new UsageError('pass only one of --as-email, --as-token, --as-guest');
  const appId = credential(values, env, 'app-id', 'INSTANT_APP_ID');
  const adminToken = credential(values, env, 'admin-token', 'INSTANT_ADMIN_TOKEN');
  if (appId.value === undefined) throw new InputError('no app id: pass --app-id or set INSTANT_APP_ID');
  if (!isUuid(appId.value)) throw new InputError(`the app id from ${appId.source} is not a UUID`);
  if (adminToken.value === undefined && !values['as-token'] && !values['as-guest']) {
    throw new InputError('no admin token: pass --admin-token or set INSTANT_ADMIN_TOKEN');
  }
  if (adminToken.value !== undefined && !isUuid(adminToken.value))
    throw new InputError(`the admin token from ${adminToken.source} is not a UUID (the value is not shown)`);
  const apiURI = credential(values, env, 'api-uri', 'INSTANT_API_URI').value;
  const db = init({
    appId: appId.value,
    ...(adminToken.value !== undefined ? { adminToken: adminToken.value } : {}),
    ...(apiURI !== undefined ? { apiURI } : {}),
    retry,
  });
  if (typeof values['as-email'] === 'string') return db.asUser({ email: values['as-email'] });
  if (typeof values['as-token'] === 'string') return db.asUser({ token: values['as-token'] });
  if (values['as-guest']) return db.asUser({ guest: true });
  return db;
}
