import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | 'none'
  | '500-before'
  | '500-after'
  | '429'
  | '429-hint'
  | 'reset-before'
  | 'reset-after'
  | 'slow-after';

/** A deterministic PRNG, so a failing run can be replayed. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS: Fault[] = ['500-before', '500-after', '429', '429-hint', 'reset-before', 'reset-after', 'slow-after'];

/**
 * A proxy on 127.0.0.1 in front of `target` that injects a fault into `rate` of the requests: 500s and
 * connection resets before or after forwarding (after = the server committed), 429s with Retry-After
 * or with Instant's body hint, and responses held past the client's timeout (after forwarding).
 */
export async function startFaultProxy(target: string, rate: number, seed: number, slowMs: number) {
  const random = mulberry32(seed);
  const counts: Record<Fault, number> = {
    none: 0,
    '500-before': 0,
    '500-after': 0,
    '429': 0,
    '429-hint': 0,
    'reset-before': 0,
    'reset-after': 0,
    'slow-after': 0,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault: Fault = random() < rate ? FAULTS[Math.floor(random() * FAULTS.length)]! : 'none';
      counts[fault]++;
      const body = Buffer.concat(chunks);
      if (fault === '500-before')
        return void res
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"type":"unknown","message":"Something went wrong. Sorry about this!","hint":{}}');
      if (fault === '429')
        return void res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': '0.05' })
          .end('{"type":"rate-limited","message":"slow down","hint":null}');
      if (fault === '429-hint')
        return void res
          .writeHead(429, { 'content-type': 'application/json' })
          .end('{"type":"rate-limited","message":"slow down","hint":{"retry-after":0.05}}');
      if (fault === 'reset-before') return void req.socket.destroy();
      const url = new URL(req.url!, target);
      const upstream = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => {
          if (fault === 'reset-after') return void req.socket.destroy();
          if (fault === '500-after')
            return void res
              .writeHead(500, { 'content-type': 'application/json' })
              .end('{"type":"unknown","message":"lost after commit","hint":{}}');
          const send = () => res.writeHead(response.statusCode!, response.headers).end(Buffer.concat(parts));
          if (fault === 'slow-after') setTimeout(() => (res.destroyed ? undefined : send()), slowMs);
          else send();
        });
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
