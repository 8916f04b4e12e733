/**
 * How a restore through the Admin API meets Instant's answers, against a stub (a real server cannot be
 * made to answer these on demand): `parameter-limit-exceeded` halves the batch, `rate-limited` is
 * retried, `app-read-only` stops with a sentence saying what it means and what to do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backupApp, restoreApp, writeBackup } from '../../src/backup/index.ts';
import { AdminConnection } from '../../src/backup/admin-connection.ts';
import { InstantAPIError } from '../../src/errors/instant-api-error.ts';
import { expectOneLine, runCli } from '../cli/run-cli.ts';
import { type Stub, startStub } from '../client/stub-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'instant-tx-admin-answers-'));
const zip = join(dir, 'app.zip');
const APP = '7e408400-5f7d-4682-86f3-07536e1803df';
const TOKEN = '3f2ad28e-440e-493b-a855-d43fa69566ed';
let stub: Stub;

beforeAll(async () => {
  stub = await startStub();
  const entities = Array.from({ length: 40 }, (_, index) => ({
    namespace: 'notes',
    entity: { id: crypto.randomUUID(), text: `note ${index}` },
    createdAt: 1_700_000_000_000 + index,
  }));
  await writeBackup(zip, {
    config: {
      schema: {
        entities: { notes: { attrs: { text: { valueType: 'string', config: { unique: false, indexed: false } } } } },
        links: {},
      },
      rules: null,
    },
    entities,
  });
});
afterEach(() => {
  stub.requests.length = 0;
  rmSync(`${zip}.restore-${APP}.ckpt`, { force: true });
});
afterAll(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = () => ({ appId: APP, adminToken: TOKEN, apiURI: stub.url });
const transacts = () => stub.requests.filter((request) => request.path === '/admin/transact');
const steps = (request: { body: unknown }) => (request.body as { steps: unknown[][] }).steps;

describe('restoreApp honours the Admin API', () => {
  it('parameter-limit-exceeded: the batch is halved until it fits; rate-limited: retried', async () => {
    let limited = false;
    stub.fallback = (request) => {
      if (request.path === '/admin/schema') return { status: 200, body: { schema: { blobs: {}, refs: {} } } };
      const body = request.body as { steps: unknown[][] };
      if (body.steps.length === 0) return { status: 200, body: { 'tx-id': 1 } }; // the writable-target probe
      if (body.steps.length > 10 && body.steps[0]![0] !== 'add-attr')
        return { status: 400, body: { type: 'parameter-limit-exceeded', message: 'Too many parameters' } };
      if (!limited && body.steps[0]![0] === 'update') {
        limited = true;
        return { status: 429, body: { type: 'rate-limited', message: 'Slow down' }, headers: { 'retry-after': '0' } };
      }
      return { status: 200, body: { 'tx-id': 1 } };
    };
    const report = await restoreApp(zip, target(), { maxSteps: 40, concurrency: 1 });
    expect(report.committed).toBe(40);
    expect(limited).toBe(true);
    const sent = transacts().map((request) => steps(request).length);
    expect(sent[0]).toBe(0); // the probe: the target takes writes (nothing written)
    expect(sent[1]).toBe(2); // add-attr notes.id, notes.text
    expect(sent.slice(2, 5)).toEqual([40, 20, 10]); // refused, halved, halved again: it fits
    const written = transacts()
      .filter((request) => steps(request).length <= 10 && steps(request)[0]?.[0] === 'update')
      .flatMap(steps);
    // Every entity once in the end (the rate-limited request is sent again), with its id kept.
    expect(new Set(written.map((step) => step[2])).size).toBe(40);
    expect(written.every((step) => step[1] === 'notes')).toBe(true);
  });

  it('app-read-only: a clear message, in the library and the CLI (exit 1, one line)', async () => {
    stub.fallback = (request) =>
      request.path === '/admin/schema'
        ? { status: 200, body: { schema: { blobs: {}, refs: {} } } }
        : {
            status: 400,
            body: { type: 'app-read-only', message: 'This app is in read-only mode.', hint: { status: 'read-only' } },
          };
    const error = await restoreApp(zip, target()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantAPIError);
    expect((error as InstantAPIError).type).toBe('app-read-only');
    expect((error as Error).message).toMatch(
      new RegExp(
        `the app ${APP} at .* is read-only \\(Instant Cloud makes apps read-only before it closes them\\): nothing more can be written there`,
      ),
    );
    const run = await runCli(['restore', zip, '--to', stub.url, '--app-id', APP, '--admin-token', TOKEN]);
    const line = expectOneLine(run, { code: 1 });
    expect(line).toMatch(/is read-only .*restore into a writable app/);
    expect(line).not.toContain(TOKEN);
  });

  it('reads work on a read-only app; a disabled one says where its data still is', async () => {
    stub.fallback = () => ({
      status: 400,
      body: { type: 'app-disabled', message: 'This app is currently disabled.', hint: { status: 'disabled' } },
    });
    const error = await backupApp(target(), { out: join(dir, 'disabled.zip') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantAPIError);
    expect((error as Error).message).toMatch(
      /is disabled: .*download its backup from Instant's dashboard .* instant-tx serve --restore/,
    );
    rmSync(join(dir, 'disabled.zip.parts'), { recursive: true, force: true });
  });

  it('never shows the admin token: not when a connection is inspected, not in a checkpoint', async () => {
    const connection = new AdminConnection(target());
    expect(inspect(connection, { depth: 10 }) + JSON.stringify(connection)).not.toContain(TOKEN);
    expect(connection.label).toBe(`app ${APP} at ${stub.url}`);
  });
});
