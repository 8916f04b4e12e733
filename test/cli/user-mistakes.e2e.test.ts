import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { expectOneLine, runCli } from './run-cli.ts';

// Issue 14: nothing a user types crashes with a stack trace. Each mistake is one line on stderr
// starting `instant-tx: ` and exit 2 (exit 1 where the server answered "nothing there").
describe('user mistakes are one line and an exit code, never a stack trace', () => {
  let server: LocalServer;
  const dir = mkdtempSync(join(tmpdir(), 'instant-tx-mistakes-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (args: string[], options: { stdin?: string; env?: Record<string, string | undefined> } = {}) =>
    runCli(args, {
      ...options,
      env: {
        INSTANT_APP_ID: server.appId,
        INSTANT_ADMIN_TOKEN: server.adminToken,
        INSTANT_API_URI: server.url,
        ...options.env,
      },
    });
  const uuid = () => crypto.randomUUID();

  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('transact on a missing file or a directory, query --file on a missing file: exit 2 naming the path', async () => {
    const missing = join(dir, 'nope.jsonl');
    expect(expectOneLine(await run(['transact', missing]))).toBe(
      `instant-tx: cannot read ${missing}: no such file or directory`,
    );
    expect(expectOneLine(await run(['transact', dir, '--dry-run']))).toBe(
      `instant-tx: cannot read ${dir}: is a directory`,
    );
    expect(expectOneLine(await run(['query', '--file', join(dir, 'q.json')]))).toBe(
      `instant-tx: cannot open ${join(dir, 'q.json')}: no such file or directory`,
    );
  });

  it('serve: a port that is not one, or already in use; a --db folder that does not exist; non-UUID --app-id/--admin-token', async () => {
    expect(expectOneLine(await run(['serve', '--port', 'abc']), { usage: true })).toContain(
      "--port takes an integer from 0 to 65535, got 'abc'",
    );
    expect(expectOneLine(await run(['serve', '--port', '70000']), { usage: true })).toContain("got '70000'");
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      expect(expectOneLine(await run(['serve', '--port', String(port)]))).toBe(
        `instant-tx: cannot listen on 127.0.0.1:${port}: the port is already in use`,
      );
    } finally {
      busy.close();
    }
    expect(expectOneLine(await run(['serve', '--db', join(dir, 'no-such-folder', 'app.db')]))).toContain(
      `the folder ${join(dir, 'no-such-folder')} does not exist`,
    );
    expect(expectOneLine(await run(['serve', '--app-id', 'my-app']), { usage: true })).toContain(
      '--app-id takes a UUID',
    );
    const badToken = await run(['serve', '--admin-token', 'hunter2-secret-token']);
    expect(expectOneLine(badToken, { usage: true })).toContain('--admin-token takes a UUID');
    expect(badToken.stderr).not.toContain('hunter2-secret-token');
  });

  it('serve --schema: a missing file, a directory, a module without a schema export, a module that does not load', async () => {
    expect(expectOneLine(await run(['serve', '--schema', join(dir, 'nope.ts')]))).toContain(
      `${join(dir, 'nope.ts')}: no such file or directory`,
    );
    expect(expectOneLine(await run(['serve', '--schema', dir]))).toContain('is a directory');
    const noExport = file('no-export.ts', 'export const other = 1;\n');
    expect(expectOneLine(await run(['serve', '--schema', noExport]))).toBe(
      `instant-tx: ${noExport} exports no schema: export it as default or as \`schema\``,
    );
    const broken = file('broken.mjs', 'export default {;\n');
    expect(expectOneLine(await run(['serve', '--schema', broken]))).toContain(`cannot load the schema file ${broken}`);
  });

  it('serve --rules: invalid JSON (file and line), CEL that does not compile, an unknown action — all found at start', async () => {
    const notJson = file('not-json.json', '{\n  "notes": {\n    "allow": {"view": "true",}\n  }\n}\n');
    expect(expectOneLine(await run(['serve', '--rules', notJson]))).toMatch(
      new RegExp(`^instant-tx: ${notJson}(:3:\\d+)?: invalid JSON`),
    );
    const notCel = file('not-cel.json', JSON.stringify({ notes: { allow: { view: 'auth.id ==' } } }));
    expect(expectOneLine(await run(['serve', '--rules', notCel]))).toMatch(
      /^instant-tx: invalid rules: notes\.allow\.view does not compile: /,
    );
    const typo = file('typo.json', JSON.stringify({ notes: { allow: { veiw: 'true' } } }));
    expect(expectOneLine(await run(['serve', '--rules', typo]))).toContain(
      "notes.allow.veiw: unknown action 'veiw'; expected one of view, create, update, delete, link, unlink, $default",
    );
    const badBind = file(
      'bad-bind.json',
      JSON.stringify({ notes: { allow: { view: 'isOwner' }, bind: ['isOwner', 'auth.id == ('] } }),
    );
    expect(expectOneLine(await run(['serve', '--rules', badBind]))).toContain('notes.bind.isOwner does not compile');
    const array = file('array.json', '[]');
    expect(expectOneLine(await run(['serve', '--rules', array]))).toContain('rules must be a JSON object');
  });

  it('a JSON Lines error names the file and line; the other checks name the line too', async () => {
    const lines = Array.from({ length: 6 }, (_, n) => JSON.stringify(['update', 'notes', uuid(), { n }]));
    const broken = file('steps.jsonl', [...lines, '["update", "notes", {oops}]', ''].join('\n'));
    expect(expectOneLine(await run(['transact', broken, '--dry-run']))).toMatch(
      new RegExp(`^instant-tx: ${broken}:7: invalid JSON: .* at column \\d+$`),
    );
    expect(
      expectOneLine(await run(['transact', '-', '--dry-run'], { stdin: `${lines[0]}\n\n{"not": "a step"}\n` })),
    ).toMatch(/^instant-tx: stdin:3: each JSON line must be a step/);
  });

  it('--dry-run runs the checks a real run does: non-UUID ids and link targets, unknown actions, non-JSON numbers, oversize chunks', async () => {
    const dryRun = (stdin: string, extra: string[] = []) => run(['transact', '-', '--dry-run', ...extra], { stdin });
    const id = uuid();
    expect(
      expectOneLine(
        await dryRun(
          `${JSON.stringify(['update', 'notes', id, {}])}\n${JSON.stringify(['update', 'notes', 'note-1', {}])}\n`,
        ),
      ),
    ).toMatch(/^instant-tx: stdin:2: Invalid entity ID 'note-1'\. Entity IDs must be UUIDs or lookup references\./);
    expect(expectOneLine(await dryRun(JSON.stringify(['link', 'notes', id, { tags: 'tag-1' }])))).toMatch(
      /^instant-tx: stdin:1: Linked value must be a valid uuid: "tag-1"/,
    );
    expect(expectOneLine(await dryRun(JSON.stringify(['upsert', 'notes', id, {}])))).toMatch(
      /^instant-tx: stdin:1: .*unknown action "upsert"/,
    );
    expect(expectOneLine(await dryRun(`["update","notes","${id}",{"n":1e999}]`))).toMatch(
      /^instant-tx: stdin:1: .*Infinity is not a JSON number/,
    );
    const chunk = JSON.stringify([
      ['update', 'notes', id, {}],
      ['update', 'notes', uuid(), {}],
      ['update', 'notes', uuid(), {}],
    ]);
    expect(expectOneLine(await dryRun(`${chunk}\n${chunk}\n`, ['--max-steps', '2']))).toContain(
      'larger than a batch may be',
    );
    // A real run refuses the same input before sending it: nothing is written.
    const real = await run(['transact', '-'], { stdin: JSON.stringify(['update', 'mistakes', 'note-1', { a: 1 }]) });
    expect(expectOneLine(real)).toMatch(/^instant-tx: stdin:1: Invalid entity ID/);
    const { stdout } = await run(['query', '{"mistakes": {}}', '--json']);
    expect(JSON.parse(stdout)).toEqual({ mistakes: [] });
  });

  it('flags that do not apply to a command are usage errors, not silently ignored', async () => {
    expect(expectOneLine(await run(['token', 'create', 'a@example.com', '--as-guest']), { usage: true })).toBe(
      'instant-tx: token does not take --as-guest',
    );
    expect(
      expectOneLine(await run(['user', 'get', '--email', 'a@example.com', '--as-email', 'b@example.com']), {
        usage: true,
      }),
    ).toBe('instant-tx: user does not take --as-email');
    expect(expectOneLine(await run(['user', 'get', '--email', 'a@example.com', '--dry-run']), { usage: true })).toBe(
      'instant-tx: user does not take --dry-run',
    );
    expect(expectOneLine(await run(['serve', '--as-email', 'a@example.com']), { usage: true })).toBe(
      'instant-tx: serve does not take --as-email',
    );
    expect(
      expectOneLine(await run(['query', '{}', '--as-guest', '--as-email', 'a@example.com']), { usage: true }),
    ).toContain('only one of --as-email, --as-token, --as-guest');
  });

  it('user delete of a user that does not exist says so (exit 1) and prints no token', async () => {
    expect(expectOneLine(await run(['user', 'delete', '--email', 'ghost@example.com']), { code: 1 })).toBe(
      'instant-tx: no user with email ghost@example.com; nothing was deleted',
    );
    const token = uuid();
    const byToken = await run(['user', 'delete', '--refresh-token', token]);
    expect(expectOneLine(byToken, { code: 1 })).toBe(
      'instant-tx: no user with that refresh token; nothing was deleted',
    );
    expect(byToken.stderr).not.toContain(token);
  });

  it('a missing admin token or app id is named, with where to put it', async () => {
    const noToken = await run(['query', '{"notes": {}}'], { env: { INSTANT_ADMIN_TOKEN: undefined } });
    expect(expectOneLine(noToken)).toBe('instant-tx: no admin token: pass --admin-token or set INSTANT_ADMIN_TOKEN');
    expect(
      expectOneLine(await run(['user', 'get', '--email', 'a@example.com'], { env: { INSTANT_ADMIN_TOKEN: '' } })),
    ).toBe('instant-tx: no admin token: pass --admin-token or set INSTANT_ADMIN_TOKEN');
    expect(expectOneLine(await run(['query', '{"notes": {}}'], { env: { INSTANT_APP_ID: undefined } }))).toBe(
      'instant-tx: no app id: pass --app-id or set INSTANT_APP_ID',
    );
    expect(expectOneLine(await run(['query', '{"notes": {}}', '--app-id', 'my-app']))).toBe(
      'instant-tx: the app id from --app-id is not a UUID',
    );
    const badToken = await run(['query', '{"notes": {}}'], { env: { INSTANT_ADMIN_TOKEN: 'not-a-uuid-secret' } });
    expect(expectOneLine(badToken)).toBe(
      'instant-tx: the admin token from INSTANT_ADMIN_TOKEN is not a UUID (the value is not shown)',
    );
    expect(badToken.stderr).not.toContain('not-a-uuid-secret');
    // A guest needs no admin token; an empty INSTANT_ADMIN_TOKEN counts as unset.
    const guest = await run(['query', '{"notes": {}}', '--as-guest', '--json'], { env: { INSTANT_ADMIN_TOKEN: '' } });
    expect(guest.code, guest.stderr).toBe(0);
    expect(JSON.parse(guest.stdout)).toEqual({ notes: [] });
  });

  it('backup, restore and copy name credentials, flags and rules files as every command does', async () => {
    expect(
      expectOneLine(await run(['backup', '--out', join(dir, 'b.zip')], { env: { INSTANT_ADMIN_TOKEN: '' } })),
    ).toBe('instant-tx: no admin token: pass --admin-token or set INSTANT_ADMIN_TOKEN');
    expect(expectOneLine(await run(['restore', 'b.zip', '--to', server.url, '--app-id', 'my-app']))).toBe(
      'instant-tx: the app id from --app-id is not a UUID',
    );
    // copy reads no INSTANT_* variable: its two apps are named by its own flags.
    expect(expectOneLine(await run(['copy', '--from', server.url, '--to', server.url]))).toBe(
      'instant-tx: no app id: pass --from-app-id',
    );
    const from = ['--from-app-id', uuid(), '--from-admin-token', uuid()];
    expect(
      expectOneLine(await run(['copy', '--from', server.url, '--to', server.url, ...from, '--to-app-id', uuid()])),
    ).toBe('instant-tx: no admin token: pass --to-admin-token');
    expect(
      expectOneLine(await run(['restore', 'b.zip', '--to', server.url, '--max-steps', '1e3']), { usage: true }),
    ).toContain("--max-steps takes an integer from 1 to 10000, got '1e3'");
    expect(expectOneLine(await run(['transact', '-', '--concurrency', '0']), { usage: true })).toContain(
      "--concurrency takes a positive integer, got '0'",
    );
    expect(expectOneLine(await run(['backup', '--out', join(dir, 'b.zip'), '--rules', dir]))).toBe(
      `instant-tx: --rules ${dir} is a directory; pass the rules file`,
    );
    const rules = file('rules.json', '{"goals": {"allow": }}');
    expect(expectOneLine(await run(['backup', '--out', join(dir, 'b.zip'), '--rules', rules]))).toMatch(
      new RegExp(`^instant-tx: ${rules}(:\\d+:\\d+)?: invalid JSON`),
    );
  });

  it('JSON the user typed: a query argument that is not JSON, or not an object', async () => {
    expect(expectOneLine(await run(['query', '{goals: {}}']))).toMatch(
      /^instant-tx: the query argument: invalid JSON: .* at column 2$/,
    );
    const q = file('q.json', '[1, 2]');
    expect(expectOneLine(await run(['query', '--file', q]))).toContain(`${q}: an InstaQL query is a JSON object`);
  });
});
