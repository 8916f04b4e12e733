import { afterAll, beforeAll } from 'vitest';
import { fetchAnswer } from '../support/fetch-answer.ts';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../src/server/index.ts';

export interface Api {
  server: LocalServer;
  /** Calls the server with the admin token unless `headers` overrides; returns status and parsed body. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; text: string }>;
  transact(
    steps: unknown[],
    extra?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; text: string }>;
  query(
    query: unknown,
    extra?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; text: string }>;
}

/** Starts a fresh server for the enclosing describe block and stops it afterwards. */
export function useServer(options: LocalServerOptions = {}): Api {
  const api = {} as Api;
  beforeAll(async () => {
    api.server = await startLocalServer(options);
    api.call = (method, path, body, headers = {}) =>
      fetchAnswer(
        `${api.server.url}${path}`,
        method,
        Object.fromEntries(
          Object.entries({
            'content-type': 'application/json',
            'app-id': api.server.appId,
            authorization: `Bearer ${api.server.adminToken}`,
            ...headers,
          }).filter(([, value]) => value !== undefined),
        ) as Record<string, string>,
        body,
      );
    api.transact = (steps, extra = {}, headers) => api.call('POST', '/admin/transact', { steps, ...extra }, headers);
    api.query = (query, extra = {}, headers) => api.call('POST', '/admin/query', { query, ...extra }, headers);
  });
  afterAll(async () => {
    await api.server.close();
  });
  return api;
}

export const uuid = (): string => crypto.randomUUID();
