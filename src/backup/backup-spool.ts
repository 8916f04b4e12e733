import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { WriteStream } from 'node:fs';
import { InstantCheckpointError } from '../errors/instant-checkpoint-error.ts';
import type { BackupEntity } from './backup-format.ts';

/** What the spool knows about one namespace's lines. */
export interface SpooledNamespace {
  readonly namespace: string;
  /** The JSON Lines file (named by position: namespaces may hold any character). */
  readonly file: string;
  readonly lines: number;
  readonly triples: number;
  /** Bytes of `file` that are committed: anything after them is an interrupted write, cut on resume. */
  readonly bytes: number;
  /** Where reading the source resumes (a page cursor), when it has not finished. */
  readonly cursor?: unknown;
  readonly done: boolean;
}

interface SpoolState {
  readonly version: 1;
  /** What the spool is a backup of (an app id and server): a resume from another source is refused. */
  readonly source: string;
  readonly namespaces: SpooledNamespace[];
  readonly extra: Record<string, unknown>;
}

const STATE = 'state.json';

/**
 * A folder where a backup's entity lines are written, one JSON Lines file per namespace, before they
 * go into the zip after `config.json` (whose counts are known only at the end). Its `state.json` is
 * the checkpoint: after each page appended it records, per namespace, the lines, triples, committed
 * bytes and the source's cursor, replaced atomically (write then rename). Reopened with the same
 * `source`, a spool resumes: each file is cut back to its committed bytes and reading goes on from the
 * cursor. Memory holds one page, never the backup.
 */
export class BackupSpool {
  readonly dir: string;
  #state: SpoolState;
  readonly #streams = new Map<string, WriteStream>();

  private constructor(dir: string, state: SpoolState) {
    this.dir = dir;
    this.#state = state;
  }

  /** Opens (resuming) or creates the spool in `dir` for `source`. */
  static open(dir: string, source: string): BackupSpool {
    const statePath = join(dir, STATE);
    if (existsSync(statePath)) {
      let state: SpoolState;
      try {
        state = JSON.parse(readFileSync(statePath, 'utf8')) as SpoolState;
      } catch {
        throw new InstantCheckpointError(statePath, 'is not an instant-tx backup checkpoint');
      }
      if (state.version !== 1 || !Array.isArray(state.namespaces))
        throw new InstantCheckpointError(statePath, 'is not an instant-tx backup checkpoint');
      if (state.source !== source)
        throw new InstantCheckpointError(statePath, `belongs to a backup of another app (${state.source})`);
      // Each namespace's file is the one this spool names by position: a checkpoint naming any other
      // path (`../victim.txt`) or size is not ours, and nothing outside the folder is ever touched.
      state.namespaces.forEach((ns, index) => {
        if (ns.file !== `ns-${index}.jsonl` || !Number.isSafeInteger(ns.bytes) || ns.bytes < 0)
          throw new InstantCheckpointError(statePath, 'is not an instant-tx backup checkpoint');
      });
      for (const ns of state.namespaces) {
        const file = join(dir, ns.file);
        if (!existsSync(file)) writeFileSync(file, '');
        truncateSync(file, ns.bytes);
      }
      return new BackupSpool(dir, state);
    }
    mkdirSync(dir, { recursive: true });
    const spool = new BackupSpool(dir, { version: 1, source, namespaces: [], extra: {} });
    spool.#save();
    return spool;
  }

  /** The namespace's progress (undefined before its first page). */
  get(namespace: string): SpooledNamespace | undefined {
    return this.#state.namespaces.find((ns) => ns.namespace === namespace);
  }

  /** Every namespace spooled, in the order they were started. */
  get namespaces(): readonly SpooledNamespace[] {
    return this.#state.namespaces;
  }

  /** Extra resumable state (e.g. which files were fetched), saved with the next checkpoint. */
  get extra(): Readonly<Record<string, unknown>> {
    return this.#state.extra;
  }

  setExtra(key: string, value: unknown): void {
    this.#state = { ...this.#state, extra: { ...this.#state.extra, [key]: value } };
    this.#save();
  }

  /**
   * Appends a page of entity lines to `namespace` and commits it with `cursor` (where the source goes
   * on) and whether the namespace is now `done`. `triples` is the page's triple count.
   */
  async append(
    namespace: string,
    lines: readonly BackupEntity[],
    triples: number,
    next: { readonly cursor?: unknown; readonly done: boolean },
  ): Promise<void> {
    let ns = this.get(namespace);
    if (!ns) {
      ns = {
        namespace,
        file: `ns-${this.#state.namespaces.length}.jsonl`,
        lines: 0,
        triples: 0,
        bytes: 0,
        done: false,
      };
      this.#state = { ...this.#state, namespaces: [...this.#state.namespaces, ns] };
    }
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    if (text !== '') await this.#write(ns.file, text);
    const updated: SpooledNamespace = {
      ...ns,
      lines: ns.lines + lines.length,
      triples: ns.triples + triples,
      bytes: ns.bytes + Buffer.byteLength(text),
      ...(next.cursor !== undefined ? { cursor: next.cursor } : {}),
      done: next.done,
    };
    this.#state = {
      ...this.#state,
      namespaces: this.#state.namespaces.map((entry) => (entry.namespace === namespace ? updated : entry)),
    };
    this.#save();
  }

  /** The path of a namespace's lines file. */
  pathOf(ns: SpooledNamespace): string {
    return join(this.dir, ns.file);
  }

  /** Closes the open files (the spool can be reopened). */
  async close(): Promise<void> {
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    await Promise.all(
      streams.map(async (stream) => {
        stream.end();
        await once(stream, 'close');
      }),
    );
  }

  /** Closes and deletes the spool folder. */
  async remove(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #write(file: string, text: string): Promise<void> {
    let stream = this.#streams.get(file);
    if (!stream) {
      stream = createWriteStream(join(this.dir, file), { flags: 'a' });
      this.#streams.set(file, stream);
    }
    const target = stream;
    await new Promise<void>((resolve, reject) => target.write(text, (error) => (error ? reject(error) : resolve())));
  }

  #save(): void {
    const path = join(this.dir, STATE);
    writeFileSync(`${path}.tmp`, JSON.stringify(this.#state));
    renameSync(`${path}.tmp`, path);
  }
}
