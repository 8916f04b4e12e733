export { startLocalServer, type LocalServer, type LocalServerOptions } from './local-server.ts';
export type { Rules } from './permissions/rules.ts';
export { InstantServerStartError, type ServerStartProblem } from './server-start-error.ts';
export { Outbox, type NextMessageOptions, type OutboxMessage } from './users/outbox.ts';
export type { ExplorerOptions } from './explorer/explorer.ts';
