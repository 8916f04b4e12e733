import { startLocalServer } from '../src/server/index.ts';

const ENTITIES = 100_000;
const BATCH = 500;
const RUNS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Query latency p50/p99 for nested queries over 100k goals, each linked to a todo. */
export async function benchServerQuery(): Promise<void> {
  const server = await startLocalServer();
  const headers = {
    'content-type': 'application/json',
    'app-id': server.appId,
    authorization: `Bearer ${server.adminToken}`,
  };
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(await res.text());
    return res.json();
  };
  try {
    for (let start = 0; start < ENTITIES; start += BATCH / 2) {
      const steps: unknown[] = [];
      for (let index = start; index < Math.min(start + BATCH / 2, ENTITIES); index++) {
        const goal = crypto.randomUUID();
        const todo = crypto.randomUUID();
        steps.push(
          ['update', 'todos', todo, { text: `todo ${index}` }],
          ['update', 'goals', goal, { title: `goal ${index}`, priority: index % 5 }],
        );
        steps.push(['link', 'goals', goal, { todos: todo }]);
      }
      await post('/admin/transact', { steps });
    }
    const queries: Record<string, () => unknown> = {
      'page of 20 with nested todos': () => ({
        goals: { $: { limit: 20, offset: Math.floor(Math.random() * (ENTITIES - 20)) }, todos: {} },
      }),
      'where title = … with nested todos': () => ({
        goals: { $: { where: { title: `goal ${Math.floor(Math.random() * ENTITIES)}` } }, todos: {} },
      }),
    };
    for (const [label, make] of Object.entries(queries)) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const query = make();
        const started = performance.now();
        const result = (await post('/admin/query', { query })) as { goals: { todos: unknown[] }[] };
        times.push(performance.now() - started);
        if (result.goals.length === 0 || result.goals[0]!.todos.length !== 1) throw new Error('unexpected result');
      }
      times.sort((a, b) => a - b);
      console.log(
        `INFO  query latency on ${ENTITIES / 1000}k goals, ${label}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (${RUNS} runs)`,
      );
    }
  } finally {
    await server.close();
  }
}
