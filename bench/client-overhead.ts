import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { init } from '../src/index.ts';
import { report } from './harness.ts';

const CALLS = 3_000;

/** Client overhead per transact and per query against a local no-op server, vs raw fetch with a hand-built body. */
export async function benchClientOverhead(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = req.url!.startsWith('/admin/transact') ? '{"tx-id":1}' : '{"goals":[]}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const appId = crypto.randomUUID();
  const adminToken = crypto.randomUUID();
  const db = init({ appId, adminToken, apiURI: url });
  const headers = { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}` };
  const ids = Array.from({ length: CALLS }, () => crypto.randomUUID());

  const rawTransact = async (index: number) => {
    const id = ids[index]!;
    const body = JSON.stringify({
      steps: [['update', 'goals', id, { title: 'Get fit', n: index }]],
      'throw-on-missing-attrs?': false,
    });
    const res = await fetch(`${url}/admin/transact?app_id=${appId}`, { method: 'POST', headers, body });
    return res.json();
  };
  const oursTransact = (index: number) => db.transact(db.tx.goals[ids[index]!]!.update({ title: 'Get fit', n: index }));
  const rawQuery = async () => {
    const res = await fetch(`${url}/admin/query?app_id=${appId}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: { goals: {} }, 'inference?': false }),
    });
    return res.json();
  };
  const oursQuery = () => db.query({ goals: {} });

  const time = async (fn: (index: number) => Promise<unknown>): Promise<number> => {
    for (let index = 0; index < 200; index++) await fn(index);
    const started = performance.now();
    for (let index = 0; index < CALLS; index++) await fn(index);
    return (performance.now() - started) / CALLS;
  };
  try {
    const [rt, ot, rq, oq] = [
      await time(rawTransact),
      await time(oursTransact),
      await time(rawQuery),
      await time(oursQuery),
    ];
    report(
      'client transact vs raw fetch',
      ot / rt,
      '<= 1.2x',
      ot / rt <= 1.2,
      `${(ot * 1000).toFixed(0)} µs vs ${(rt * 1000).toFixed(0)} µs per call`,
    );
    report(
      'client query vs raw fetch',
      oq / rq,
      '<= 1.2x',
      oq / rq <= 1.2,
      `${(oq * 1000).toFixed(0)} µs vs ${(rq * 1000).toFixed(0)} µs per call`,
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
