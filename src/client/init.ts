import { InstantAdminDatabase } from './admin-database.ts';
import { resolveConfig, type InitOptions } from './client-config.ts';

/**
 * Connects to an Instant app's Admin HTTP API (Instant Cloud by default; a self-hosted or local server
 * via `apiURI`). Missing `appId`, `adminToken` and `apiURI` come from `INSTANT_APP_ID`,
 * `INSTANT_ADMIN_TOKEN` and `INSTANT_API_URI`. Nothing is sent until a method is called.
 *
 * @example
 * const db = init({ schema }); // INSTANT_APP_ID and INSTANT_ADMIN_TOKEN, Instant Cloud
 * const server = await startLocalServer({ schema });
 * const local = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url, schema });
 */
export function init<const Schema = undefined>(options: InitOptions<Schema> = {}): InstantAdminDatabase<Schema> {
  const config = resolveConfig(options, typeof process === 'undefined' ? {} : process.env);
  return new InstantAdminDatabase<Schema>(config, options.schema as Schema);
}
