import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub does for one request. */
export type Behaviour =
  | { status: number; body?: unknown; raw?: string; headers?: Record<string, string>; delayMs?: number }
  | { reset: true };

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A node:http server on 127.0.0.1 that answers from a script and records every request. */
export interface Stub {
  url: string;
  requests: Recorded[];
  /** Queues behaviours; when the queue is empty, `fallback` answers. */
  script(...behaviours: Behaviour[]): void;
  fallback: (request: Recorded) => Behaviour;
  close(): Promise<void>;
}

export async function startStub(): Promise<Stub> {
  const queue: Behaviour[] = [];
  const stub = {
    requests: [] as Recorded[],
    fallback: (() => ({ status: 200, body: {} })) as Stub['fallback'],
  } as Stub;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://stub');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      const recorded = {
        method: req.method!,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      };
      stub.requests.push(recorded);
      const behaviour = queue.shift() ?? stub.fallback(recorded);
      if ('reset' in behaviour) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      const payload = behaviour.raw ?? JSON.stringify(behaviour.body ?? {});
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(behaviour.status, {
          'content-type': behaviour.raw ? 'text/html' : 'application/json',
          ...behaviour.headers,
        });
        res.end(payload);
      };
      if (behaviour.delayMs) setTimeout(send, behaviour.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.script = (...behaviours) => queue.push(...behaviours);
  stub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
