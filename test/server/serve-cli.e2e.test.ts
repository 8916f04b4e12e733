import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('instant-tx serve --schema --rules', () => {
  it('creates the schema attributes and enforces the rules', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--json', '--schema', fixture('instant.schema.ts'), '--rules', fixture('rules.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      const { url, appId, adminToken } = JSON.parse(first.value as string) as { url: string; appId: string; adminToken: string };
      const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}`, ...headers }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as any };
      };
      const strict = { 'throw-on-missing-attrs?': true };
      const ok = await post('/admin/transact', { steps: [['update', 'notes', crypto.randomUUID(), { body: 'hi', public: true }], ['update', 'notes', crypto.randomUUID(), { body: 'secret', public: false }]], ...strict });
      expect(ok.status).toBe(200);
      const unknown = await post('/admin/transact', { steps: [['update', 'notes', crypto.randomUUID(), { colour: 'red' }]], ...strict });
      expect(unknown.body.hint.errors[0].hint.attributes).toEqual(['notes.colour']);
      const typed = await post('/admin/transact', { steps: [['update', 'notes', crypto.randomUUID(), { body: 5 }]] });
      expect(typed.body.message).toContain('Invalid value type for notes.body');
      const guest = await post('/admin/query', { query: { notes: {} } }, { 'as-guest': 'true', authorization: '' });
      expect(guest.body.notes.map((note: { body: string }) => note.body)).toEqual(['hi']);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(child.exitCode).toBe(0);
  });
});
