import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InstantAPIError } from '../errors/instant-api-error.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { type AppConnection, AdminConnection } from './admin-connection.ts';
import { type BackupConfig, type BackupEntity, type BackupSchema, manyLabels, tripleCountOf } from './backup-format.ts';
import { backupSchemaOf, type NamespacePlan, namespacesToBackUp } from './backup-schema.ts';
import { BackupSpool } from './backup-spool.ts';
import { type BackupFileSource, type BackupSummary, zipBackup } from './write-backup.ts';

/** Options of {@link backupApp}. */
export interface BackupAppOptions {
  /** The zip to write. Work in progress is kept in `<out>.parts/` (the checkpoint) until it is complete. */
  readonly out: string;
  /** Entities per query (default 500, at most 5,000). */
  readonly pageSize?: number;
  /** The app's permission rules to record (the Admin API does not expose them); null by default. */
  readonly rules?: Readonly<Record<string, unknown>> | null;
  /** The app's title to record. */
  readonly title?: string;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
}

/** What {@link backupApp} reports as it goes. */
export interface BackupProgress {
  readonly phase: 'entities' | 'files';
  readonly namespace?: string;
  /** Entities written so far (all namespaces, resumed ones included). */
  readonly entities: number;
  readonly files: number;
}

const DEFAULT_PAGE = 500;
const MAX_PAGE = 5_000;
/** `$files` rows per query when fetching their current download urls. */
const URL_PAGE = 100;

/**
 * Backs up an app through its Admin API into a zip in Instant's backup format (restorable by
 * self-hosted Instant, `instant-tx serve --restore`, or {@link restoreApp}): the schema from
 * `GET /admin/schema`, then every namespace (app namespaces, `$users`, `$files`) read a page at a time
 * in creation order (`serverCreatedAt`, ties by id) with its forward links as ids, then each file's
 * bytes from its download url. Pages go to `<out>.parts/` as they arrive, with a checkpoint: a run that
 * stops (a crash, Ctrl-C, a network failure past the client's retries) resumes where it was when run
 * again with the same `out`. Memory holds one page.
 *
 * The Admin API does not expose when an entity was created, so each line's `createdAt` is the backup's
 * start time plus the entity's position in its namespace: a restore keeps the creation order.
 *
 * @example
 * const summary = await backupApp({}, { out: 'app.zip' }); // INSTANT_APP_ID, INSTANT_ADMIN_TOKEN, Instant Cloud
 * console.log(summary.counts, summary.files);
 */
export async function backupApp(source: AppConnection, options: BackupAppOptions): Promise<BackupSummary> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE)
    throw new InstantValidationError([
      createIssue('invalid-argument', 'pageSize', `expected an integer from 1 to ${MAX_PAGE}, got ${String(pageSize)}`),
    ]);
  const conn = new AdminConnection(source);
  try {
    return await backupThrough(conn, options, pageSize);
  } catch (error) {
    if (!(error instanceof InstantAPIError) || error.type !== 'app-disabled') throw error;
    throw new InstantAPIError({
      status: error.status,
      type: error.type,
      message: `the ${conn.label} is disabled: its data can no longer be read through the Admin API; download its backup from Instant's dashboard (or instant-cli backup download) and open it with instant-tx serve --restore`,
      hint: error.hint,
      traceId: error.traceId,
      body: error.body,
      method: 'POST',
      path: '/admin/query',
    });
  }
}

async function backupThrough(
  conn: AdminConnection,
  options: BackupAppOptions,
  pageSize: number,
): Promise<BackupSummary> {
  const spool = BackupSpool.open(`${options.out}.parts`, conn.label);
  try {
    if (spool.extra.schema === undefined) {
      spool.setExtra('schema', backupSchemaOf(await conn.schema()));
      spool.setExtra('startedAt', Date.now());
    }
    const schema = spool.extra.schema as BackupSchema;
    const startedAt = spool.extra.startedAt as number;
    const many = manyLabels(schema);
    let entities = spool.namespaces.reduce((sum, ns) => sum + ns.lines, 0);
    for (const plan of namespacesToBackUp(schema)) {
      let state = spool.get(plan.name);
      while (!state?.done) {
        options.signal?.throwIfAborted();
        const offset = state?.lines ?? 0;
        const rows = await readPage(conn, plan, offset, pageSize, options.signal);
        const lines = rows.map((row, index) => lineOf(plan, row, startedAt + offset + index));
        const triples = lines.reduce((sum, line) => sum + tripleCountOf(line.entity, many.get(plan.name)), 0);
        await spool.append(plan.name, lines, triples, { done: rows.length < pageSize });
        entities += lines.length;
        options.onProgress?.({ phase: 'entities', namespace: plan.name, entities, files: 0 });
        state = spool.get(plan.name);
      }
    }
    await spool.close();
    const config: Omit<BackupConfig, 'counts' | 'tripleCount'> = {
      schema,
      rules: options.rules ?? null,
      webhooks: [],
      emailTemplates: [],
      authorizedRedirectOrigins: [],
      title: options.title ?? '',
      appId: conn.appId,
      backupAt: new Date(startedAt).toISOString(),
      isn: null,
      description: 'instant-tx backup through the Admin API',
    };
    let files = 0;
    const summary = await zipBackup(options.out, config, spool, filesOf(conn, spool), () => {
      files++;
      options.onProgress?.({ phase: 'files', entities, files });
    });
    await spool.remove();
    return summary;
  } finally {
    await spool.close();
  }
}

async function readPage(
  conn: AdminConnection,
  plan: NamespacePlan,
  offset: number,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>[]> {
  const node: Record<string, unknown> = { $: { limit, offset, order: { serverCreatedAt: 'asc' } } };
  for (const link of plan.links) node[link.label] = { $: { fields: ['id'] } };
  const result = (await conn.db.query({ [plan.name]: node } as never, signal ? { signal } : {})) as Record<
    string,
    unknown
  >;
  const rows = result[plan.name];
  if (!Array.isArray(rows)) throw new Error(`POST /admin/query answered no ${plan.name} array`);
  return rows as Record<string, unknown>[];
}

/** A query row as an entity line: its attributes, its forward links as `id` or `[ids]`. */
function lineOf(plan: NamespacePlan, row: Record<string, unknown>, createdAt: number): BackupEntity {
  const entity: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) entity[key] = value;
  for (const link of plan.links) {
    const targets = row[link.label];
    delete entity[link.label];
    const ids = (Array.isArray(targets) ? targets : targets ? [targets] : [])
      .map((target) => (target as { id?: unknown })?.id)
      .filter((id): id is string => typeof id === 'string');
    if (link.has === 'many' && ids.length > 0) entity[link.label] = ids;
    else if (link.has === 'one' && ids[0] !== undefined) entity[link.label] = ids[0];
  }
  if (plan.name === '$files') {
    // The url is where the bytes are now (signed, may expire): the blob goes in the zip instead.
    delete entity.url;
    entity['location-id'] ??= entity.id;
  }
  return { entity: entity as BackupEntity['entity'], createdAt };
}

/** The `$files` rows spooled, each with its blob fetched (at zip time) from its current url. */
async function* filesOf(conn: AdminConnection, spool: BackupSpool): AsyncGenerator<BackupFileSource> {
  const state = spool.get('$files');
  if (!state || state.lines === 0) return;
  const lines = createInterface({ input: createReadStream(spool.pathOf(state)), crlfDelay: Infinity });
  let page: { id: string; locationId: string }[] = [];
  const flush = async function* () {
    const ids = page.map((file) => file.id);
    const result = (await conn.db.query({
      $files: { $: { where: { id: { $in: ids } }, fields: ['id', 'url'] } },
    } as never)) as {
      $files?: { id: string; url?: unknown }[];
    };
    const urls = new Map((result.$files ?? []).map((row) => [row.id, row.url]));
    for (const file of page) {
      const url = urls.get(file.id);
      if (typeof url !== 'string')
        throw new Error(`$files ${file.id} has no download url (was it deleted during the backup?)`);
      yield { locationId: file.locationId, open: () => conn.download(url) };
    }
    page = [];
  };
  for await (const text of lines) {
    if (text.trim() === '') continue;
    const { entity } = JSON.parse(text) as BackupEntity;
    page.push({ id: entity.id, locationId: String(entity['location-id']) });
    if (page.length >= URL_PAGE) yield* flush();
  }
  if (page.length > 0) yield* flush();
}
