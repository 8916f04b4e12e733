import { startLocalServer } from '../src/server/index.ts';
import { report } from './harness.ts';

const BATCHES = 20;
const BATCH = 500;
const SUBSCRIBERS = 100;

/** Posts `BATCHES` transactions of `BATCH` goal updates and returns the wall time (ms). */
async function importGoals(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  for (let batch = 0; batch < BATCHES; batch++) {
    const steps = Array.from({ length: BATCH }, (_, n) => [
      'update',
      'goals',
      crypto.randomUUID(),
      { title: `goal ${batch}-${n}`, priority: n % 5 },
    ]);
    const res = await fetch(`${url}/admin/transact`, { method: 'POST', headers, body: JSON.stringify({ steps }) });
    if (res.status !== 200) throw new Error(`import failed: ${await res.text()}`);
  }
  return performance.now() - started;
}

/** Opens `count` subscriptions to `query` and waits for each first result; returns a function closing them. */
async function subscribe(url: string, headers: Record<string, string>, query: object, count: number) {
  const controllers: AbortController[] = [];
  for (let n = 0; n < count; n++) {
    const controller = new AbortController();
    controllers.push(controller);
    const res = await fetch(`${url}/admin/subscribe-query`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('add-query-ok')) text += new TextDecoder().decode((await reader.read()).value);
    // Keep reading in the background, as a client would.
    void (async () => {
      try {
        while (!(await reader.read()).done);
      } catch {}
    })();
  }
  return () => {
    for (const controller of controllers) controller.abort();
  };
}

/**
 * What live queries cost writers: the same import with no subscriptions, with 100 on another namespace
 * (every commit is checked against their footprints and skipped), and with 100 on the written namespace
 * whose answer never changes (`where` matches nothing, so each commit re-runs them but sends nothing).
 */
export async function benchLiveQueries(): Promise<void> {
  const configs = [
    ['none', undefined],
    ['other namespace', { notes: {} }],
    ['same namespace, unchanged answer', { goals: { $: { where: { title: 'no such goal' } } } }],
  ] as const;
  // Three rounds, the configurations in turn, the median of each: the machine's load drifts.
  const runs: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const [label, query] of configs) {
      const server = await startLocalServer();
      const headers = {
        'content-type': 'application/json',
        'app-id': server.appId,
        authorization: `Bearer ${server.adminToken}`,
      };
      await importGoals(server.url, headers); // warm-up, and data for the queries to look at
      const stop = query ? await subscribe(server.url, headers, query, SUBSCRIBERS) : () => undefined;
      (runs[label] ??= []).push(await importGoals(server.url, headers));
      stop();
      await server.close();
    }
  }
  const timings = Object.fromEntries(
    Object.entries(runs).map(([label, times]) => [label, times.sort((a, b) => a - b)[1]!]),
  );
  const base = timings.none!;
  const other = base / timings['other namespace']!;
  const same = base / timings['same namespace, unchanged answer']!;
  report(
    `import with ${SUBSCRIBERS} live queries on another namespace, throughput vs none`,
    other,
    '>= 0.9x',
    other >= 0.9,
    `${timings['other namespace']!.toFixed(0)} vs ${base.toFixed(0)} ms for ${BATCHES} x ${BATCH} updates`,
  );
  report(
    `import with ${SUBSCRIBERS} live queries re-run on every commit, throughput vs none`,
    same,
    '>= 0.5x',
    same >= 0.5,
    `${timings['same namespace, unchanged answer']!.toFixed(0)} vs ${base.toFixed(0)} ms`,
  );
}

if (import.meta.main) await benchLiveQueries();
