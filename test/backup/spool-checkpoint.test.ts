import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupSpool } from '../../src/backup/backup-spool.ts';
import { InstantCheckpointError } from '../../src/errors/instant-checkpoint-error.ts';

// A backup's work-in-progress checkpoint names each namespace's file; a tampered or foreign one must not
// make the resume truncate or append to a file outside the spool's folder.
describe('a backup spool resumed from a tampered checkpoint', () => {
  it('refuses a namespace file that is not its own (../victim.txt), touching nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'instant-tx-spool-'));
    try {
      const dir = join(root, 'app.zip.parts');
      BackupSpool.open(dir, 'source-a'); // creates the folder and its checkpoint
      const victim = join(root, 'victim.txt');
      writeFileSync(victim, 'keep me');
      const statePath = join(dir, 'state.json');
      const state = JSON.parse(readFileSync(statePath, 'utf8'));
      state.namespaces = [{ namespace: 'goals', file: '../victim.txt', lines: 0, triples: 0, bytes: 0, done: false }];
      writeFileSync(statePath, JSON.stringify(state));
      expect(() => BackupSpool.open(dir, 'source-a')).toThrow(InstantCheckpointError);
      expect(readFileSync(victim, 'utf8')).toBe('keep me');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
