import type { InstantAdminDatabase } from '../client/admin-database.ts';
import type { TransactRetry } from '../client/client-config.ts';
import { init } from '../client/init.ts';
import { isUuid } from '../protocol/uuid.ts';
import type { CliIo } from './cli-context.ts';
import { InputError } from './input-error.ts';
import { UsageError } from './usage-error.ts';

/** Where a command's app credentials come from: its flags, and whether `INSTANT_*` fill those not given. */
export interface CredentialFlags {
  readonly appId: string;
  readonly adminToken: string;
  readonly apiUri: string;
  readonly env: boolean;
}

/** `--app-id`, `--admin-token`, `--api-uri`, else `INSTANT_APP_ID`, `INSTANT_ADMIN_TOKEN`, `INSTANT_API_URI`. */
export const CREDENTIAL_FLAGS: CredentialFlags = {
  appId: 'app-id',
  adminToken: 'admin-token',
  apiUri: 'api-uri',
  env: true,
};

/** An app's checked credentials (the admin token absent only where the command may act without it). */
export interface AppCredentials {
  readonly appId: string;
  readonly adminToken?: string;
  readonly apiURI?: string;
}

/** A credential's value and where it came from, for messages that say so. */
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
 * An app's credentials from a command's `flags` (else the environment, when `flags.env`), checked
 * first, so a missing or malformed one is named (`no admin token: pass --admin-token or set
 * INSTANT_ADMIN_TOKEN`) rather than found by the server. The admin token may be left out only when
 * `tokenOptional` (acting `--as-token` or `--as-guest`).
 *
 * @example
 * appCredentials({ 'app-id': goalId, 'admin-token': todoId }, process.env) // { appId: goalId, adminToken: todoId }
 */
export function appCredentials(
  values: Record<string, unknown>,
  env: CliIo['env'],
  flags: CredentialFlags = CREDENTIAL_FLAGS,
  tokenOptional = false,
): AppCredentials {
  const from = flags.env ? env : {};
  const orSet = (variable: string) => (flags.env ? ` or set ${variable}` : '');
  const appId = credential(values, from, flags.appId, 'INSTANT_APP_ID');
  const adminToken = credential(values, from, flags.adminToken, 'INSTANT_ADMIN_TOKEN');
  if (appId.value === undefined) throw new InputError(`no app id: pass --${flags.appId}${orSet('INSTANT_APP_ID')}`);
  if (!isUuid(appId.value)) throw new InputError(`the app id from ${appId.source} is not a UUID`);
  if (adminToken.value === undefined && !tokenOptional)
    throw new InputError(`no admin token: pass --${flags.adminToken}${orSet('INSTANT_ADMIN_TOKEN')}`);
  if (adminToken.value !== undefined && !isUuid(adminToken.value))
    throw new InputError(`the admin token from ${adminToken.source} is not a UUID (the value is not shown)`);
  const apiURI = credential(values, from, flags.apiUri, 'INSTANT_API_URI').value;
  return {
    appId: appId.value,
    ...(adminToken.value !== undefined ? { adminToken: adminToken.value } : {}),
    ...(apiURI !== undefined ? { apiURI } : {}),
  };
}

/**
 * The client for a command, with the credentials of {@link appCredentials} (the admin token is needed
 * unless acting `--as-token` or `--as-guest`). `--as-email` / `--as-token` / `--as-guest` impersonate
 * (for commands that declare them).
 */
export function connect(
  values: Record<string, unknown>,
  env: CliIo['env'],
  retry: { transact?: TransactRetry } = {},
): InstantAdminDatabase {
  if ([values['as-email'], values['as-token'], values['as-guest']].filter(Boolean).length > 1)
    throw new UsageError('pass only one of --as-email, --as-token, --as-guest');
  const tokenOptional = Boolean(values['as-token'] || values['as-guest']);
  const db = init({ ...appCredentials(values, env, CREDENTIAL_FLAGS, tokenOptional), retry });
  if (typeof values['as-email'] === 'string') return db.asUser({ email: values['as-email'] });
  if (typeof values['as-token'] === 'string') return db.asUser({ token: values['as-token'] });
  if (values['as-guest']) return db.asUser({ guest: true });
  return db;
}
