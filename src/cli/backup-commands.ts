import { backupApp, type BackupProgress } from '../backup/backup-app.ts';
import { copyApp } from '../backup/copy-app.ts';
import { type RestoreProgress, restoreApp } from '../backup/restore-app.ts';
import { verifyBackup } from '../backup/verify-backup.ts';
import { CREDENTIAL_OPTIONS, type CliIo, EXIT, integerFlag, JSON_OPTION, parseCommand } from './cli-context.ts';
import { appCredentials } from './connect.ts';
import { progressBar } from './progress-bar.ts';
import { readRulesFile } from './serve-files.ts';
import { UsageError } from './usage-error.ts';

export const BACKUP_USAGE = `Usage: instant-tx backup --out app.zip [--page-size N] [--rules rules.json] [--title T]
       instant-tx backup verify app.zip [--json]

Backs up an app through its Admin API (--app-id, --admin-token, --api-uri or INSTANT_*; Instant Cloud,
a self-hosted Instant, instant-tx serve) into a zip in Instant's backup format: schema, every entity
with its links, $users, $files with their bytes. Resumable: run the same command again after a failure
(work in progress is kept in app.zip.parts/). The Admin API does not expose permission rules: pass
--rules to record them. 'backup verify' re-reads a zip and checks its checksums and counts.`;

export const RESTORE_USAGE = `Usage: instant-tx restore app.zip --to <apiURI> [--app-id UUID] [--admin-token UUID] [--max-steps N] [--max-bytes N]

Restores a backup zip (Instant's or ours) into an app through its Admin API: attributes, entities and
users with the same ids, links, files. The target and the whole zip are checked first: a corrupt zip
is refused with nothing written, and so is an entity too large for one transaction (--max-bytes,
default 4000000). Checkpointed: run it again after a failure and it resumes.
To open a backup locally instead: instant-tx serve --restore app.zip --db app.db`;

export const COPY_USAGE = `Usage: instant-tx copy --from <apiURI> --from-app-id UUID --from-admin-token UUID
                       --to <apiURI> --to-app-id UUID --to-admin-token UUID [--via copy.zip]

Copies an app into another through their Admin APIs (a backup, then a restore; both resumable).
The target is checked first (reachable, credentials, writable). Run again after a failure, it
restores the --via zip the failed run finished (delete it for a fresh backup).
The source is only read: a read-only Instant Cloud app can be copied out.`;

/** One redrawn line on a terminal: entities and files backed up, or the restore's batch progress bar. */
function progressLine(io: CliIo): (progress: BackupProgress | RestoreProgress) => void {
  const bar = progressBar((text) => io.err(text));
  return (progress) => {
    if (!io.isTTY) return;
    if ('stepsDone' in progress) bar(progress);
    else if ('total' in progress) io.err(`\ruploading files: ${progress.done}/${progress.total}`);
    else {
      const where = progress.namespace ? ` (${progress.namespace})` : '';
      io.err(`\rbacking up: ${progress.entities.toLocaleString('en')} entities${where} · ${progress.files} files`);
    }
  };
}

/** `instant-tx backup --out app.zip` and `instant-tx backup verify app.zip`. */
export async function backupCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('backup', argv, {
    ...CREDENTIAL_OPTIONS,
    ...JSON_OPTION,
    out: { type: 'string' },
    'page-size': { type: 'string' },
    rules: { type: 'string' },
    title: { type: 'string' },
  });
  if (values.help) {
    io.out(BACKUP_USAGE);
    return EXIT.ok;
  }
  if (positionals[0] === 'verify') {
    if (positionals.length !== 2) throw new UsageError('backup verify takes one zip');
    const report = await verifyBackup(positionals[1]!);
    if (values.json) io.out(JSON.stringify(report));
    else {
      const total = Object.values(report.counts).reduce((sum, n) => sum + n, 0);
      io.out(
        `${positionals[1]}: ${total} entities (${Object.entries(report.counts)
          .map(([ns, n]) => `${ns} ${n}`)
          .join(', ')}), ${report.tripleCount} triples, ${report.files} files`,
      );
      for (const problem of report.problems) io.err(`instant-tx: ${positionals[1]}: ${problem}`);
    }
    return report.problems.length > 0 ? EXIT.usage : EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`backup takes no arguments, got '${positionals[0]}'`);
  if (values.out === undefined) throw new UsageError('backup needs --out app.zip');
  const pageSize =
    values['page-size'] === undefined ? undefined : integerFlag(values['page-size'], '--page-size', 1, 5000);
  const source = appCredentials(values, io.env);
  const summary = await backupApp(source, {
    out: values.out,
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(values.rules !== undefined ? { rules: readRulesFile(values.rules) } : {}),
    ...(values.title !== undefined ? { title: values.title } : {}),
    onProgress: progressLine(io),
  });
  if (values.json) io.out(JSON.stringify(summary));
  else {
    const total = Object.values(summary.counts).reduce((sum, n) => sum + n, 0);
    io.out(
      `${values.out}: ${total} entities (${Object.entries(summary.counts)
        .map(([ns, n]) => `${ns} ${n}`)
        .join(', ')}), ${summary.tripleCount} triples, ${summary.files} files, ${summary.bytes} bytes`,
    );
  }
  return EXIT.ok;
}

/** `instant-tx restore app.zip --to <apiURI>`. */
export async function restoreCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('restore', argv, {
    ...CREDENTIAL_OPTIONS,
    ...JSON_OPTION,
    to: { type: 'string' },
    'max-steps': { type: 'string' },
    'max-bytes': { type: 'string' },
  });
  if (values.help) {
    io.out(RESTORE_USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('restore takes one zip');
  if (values.to === undefined && values['api-uri'] === undefined)
    throw new UsageError('restore needs --to <apiURI> (the server to restore into)');
  const target = appCredentials({ ...values, 'api-uri': values.to ?? values['api-uri'] }, io.env);
  const maxSteps = values['max-steps'];
  const maxBytes = values['max-bytes'];
  const report = await restoreApp(positionals[0]!, target, {
    onProgress: progressLine(io),
    ...(maxSteps !== undefined ? { maxSteps: integerFlag(maxSteps, '--max-steps', 1, 10_000) } : {}),
    // Instant reads bodies up to its own limit; our server takes 32 MiB: a step must fit in one body.
    ...(maxBytes !== undefined ? { maxBytes: integerFlag(maxBytes, '--max-bytes', 1_000, 30_000_000) } : {}),
  });
  if (values.json) io.out(JSON.stringify(report));
  else
    io.out(
      `restored ${positionals[0]}: ${report.attrsAdded} attributes added, ${report.filesUploaded} files, ${report.committed} steps written${report.skipped ? `, ${report.skipped} already written by an earlier run` : ''}`,
    );
  return EXIT.ok;
}

/** `instant-tx copy --from … --to …`. */
export async function copyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('copy', argv, {
    ...JSON_OPTION,
    from: { type: 'string' },
    'from-app-id': { type: 'string' },
    'from-admin-token': { type: 'string' },
    to: { type: 'string' },
    'to-app-id': { type: 'string' },
    'to-admin-token': { type: 'string' },
    via: { type: 'string' },
  });
  if (values.help) {
    io.out(COPY_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`copy takes no arguments, got '${positionals[0]}'`);
  if (values.from === undefined || values.to === undefined)
    throw new UsageError('copy needs --from <apiURI> and --to <apiURI>');
  const side = (prefix: 'from' | 'to') => ({
    appId: `${prefix}-app-id`,
    adminToken: `${prefix}-admin-token`,
    apiUri: prefix,
    env: false,
  });
  const from = appCredentials(values, io.env, side('from'));
  const to = appCredentials(values, io.env, side('to'));
  const report = await copyApp(from, to, {
    ...(values.via !== undefined ? { via: values.via } : {}),
    onProgress: progressLine(io),
  });
  if (values.json) io.out(JSON.stringify(report));
  else
    io.out(
      `copied: ${report.attrsAdded} attributes added, ${report.filesUploaded} files, ${report.committed} steps written`,
    );
  return EXIT.ok;
}
