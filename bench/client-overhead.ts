import { spawn } from 'node:child_process';
import { init as officialInit, tx as officialTx } from '@instantdb/admin';
import ky from 'ky';
import { init } from '../src/index.ts';
import { report } from './harness.ts';

const CALLS = Number(process.env.CLIENT_BENCH_CALLS ?? 3000);
const WARMUP = 300;

// The stub runs in its own process so `process.cpuUsage()` here counts only the client's work.
const STUB_SOURCE = `
const { createServer } = require('node:http');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.url.startsWith('/admin/transact') ? '{"tx-id":1}' : '{"goals":[]}';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startStub(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', STUB_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`stub server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

type Call = (index: number) => Promise<unknown>;

/** The mean of the middle 90%: a call that lost its caches to another process on this shared machine counts less. */
function trimmedMean(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.05);
  const middle = sorted.slice(cut, sorted.length - cut);
  return middle.reduce((sum, value) => sum + value, 0) / middle.length;
}

/**
 * CPU microseconds (user + system) this process spends per call of each variant. Calls take turns one by
 * one in a fresh random order each round, so machine noise and the work one call leaves behind (sockets,
 * garbage) land on every variant alike.
 */
async function measure(variants: Record<string, Call>): Promise<Record<string, number>> {
  const names = Object.keys(variants);
  for (const name of names) for (let index = 0; index < WARMUP; index++) await variants[name]!(index);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const order = [...names];
  for (let index = 0; index < CALLS; index++) {
    for (let slot = order.length - 1; slot > 0; slot--) {
      const other = Math.floor(Math.random() * (slot + 1));
      [order[slot], order[other]] = [order[other]!, order[slot]!];
    }
    for (const name of order) {
      const before = process.cpuUsage();
      await variants[name]!(index);
      const used = process.cpuUsage(before);
      samples[name]!.push(used.user + used.system);
    }
  }
  return Object.fromEntries(names.map((name) => [name, trimmedMean(samples[name]!)]));
}

/**
 * Client CPU per `transact` and per `query` against a local no-op server (in another process): ours vs
 * bare `ky` posting the same JSON string (the baseline), with the official SDK and raw `fetch` beside them.
 */
export async function benchClientOverhead(): Promise<void> {
  const stub = await startStub();
  const { url } = stub;
  const appId = crypto.randomUUID();
  const adminToken = crypto.randomUUID();
  const db = init({ appId, adminToken, apiURI: url });
  const official = officialInit({ appId, adminToken, apiURI: url });
  const headers = { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}` };
  const ids = Array.from({ length: Math.max(WARMUP, CALLS) }, () => crypto.randomUUID());
  const transactURL = `${url}/admin/transact?app_id=${appId}`;
  const queryURL = `${url}/admin/query?app_id=${appId}`;
  const transactBody = (index: number) =>
    JSON.stringify({
      steps: [['update', 'goals', ids[index]!, { title: 'Get fit', n: index }]],
      'throw-on-missing-attrs?': false,
    });
  const queryBody = () => JSON.stringify({ query: { goals: {} }, 'inference?': false });

  const transact: Record<string, Call> = {
    fetch: async (index) => (await fetch(transactURL, { method: 'POST', headers, body: transactBody(index) })).json(),
    ky: (index) => ky.post(transactURL, { headers, body: transactBody(index) }).json(),
    ours: (index) => db.transact(db.tx.goals[ids[index]!]!.update({ title: 'Get fit', n: index })),
    official: (index) => official.transact(officialTx.goals[ids[index]!]!.update({ title: 'Get fit', n: index })),
  };
  const query: Record<string, Call> = {
    fetch: async () => (await fetch(queryURL, { method: 'POST', headers, body: queryBody() })).json(),
    ky: () => ky.post(queryURL, { headers, body: queryBody() }).json(),
    ours: () => db.query({ goals: {} }),
    official: () => official.query({ goals: {} }),
  };
  try {
    for (const [what, variants] of [
      ['transact', transact],
      ['query', query],
    ] as const) {
      const cpu = await measure(variants);
      const ratio = cpu.ours! / cpu.ky!;
      report(
        `client CPU per ${what}, ours / bare ky with the same string body`,
        ratio,
        '<= 1.15x',
        ratio <= 1.15,
        `ours ${cpu.ours!.toFixed(0)} µs, ky ${cpu.ky!.toFixed(0)} µs, official ${cpu.official!.toFixed(0)} µs, raw fetch ${cpu.fetch!.toFixed(0)} µs CPU per call`,
        {
          unit: 'µs CPU per call',
          ours: cpu.ours!,
          official: cpu.official!,
          baseline: cpu.ky!,
          baselineName: 'bare ky',
        },
      );
    }
  } finally {
    stub.stop();
  }
}
