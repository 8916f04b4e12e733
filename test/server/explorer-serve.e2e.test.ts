// `instant-tx serve` prints the explorer's login link, and the built package ships the page's files.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs `serve` with `args`, hands its first `lines` stdout lines to `check`, then stops it. */
async function withServe(args: string[], lines: number, check: (lines: string[]) => Promise<void>) {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const out: string[] = [];
    for await (const line of createInterface({ input: child.stdout! })) {
      out.push(line);
      if (out.length === lines) break;
    }
    await check(out);
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe('instant-tx serve and the explorer', () => {
  it('prints a one-time login link (not the admin token) that opens a session', async () => {
    await withServe([], 4, async (lines) => {
      const link = /^ {2}explorer: {4}(\S+)$/.exec(lines[3]!)?.[1];
      const token = /admin token: (\S+)/.exec(lines[2]!)?.[1];
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/explorer\/login\?secret=[\w-]+$/);
      expect(link).not.toContain(token);
      const login = await fetch(link!, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('set-cookie')).toContain('HttpOnly; SameSite=Strict');
    });
  });

  it('--json names the link too', async () => {
    await withServe(['--json'], 1, async ([line]) => {
      const { url, explorerUrl } = JSON.parse(line!);
      expect(explorerUrl.startsWith(`${url}/explorer/login?secret=`)).toBe(true);
    });
  });
});

describe('the built package', () => {
  it('ships every explorer file next to the compiled explorer (npm run build copies them into dist)', () => {
    const source = readdirSync(new URL('../../src/server/explorer/assets/', import.meta.url)).sort();
    const built = new URL('../../dist/server/explorer/assets/', import.meta.url);
    expect(existsSync(built), 'run npm run build first').toBe(true);
    expect(readdirSync(built).sort()).toEqual(source);
    expect(source).toEqual(expect.arrayContaining(['index.html', 'app.js', 'explorer.css']));
  });

  it('serves the page from dist', async () => {
    const { startLocalServer } = await import(new URL('../../dist/server/index.js', import.meta.url).href);
    const server = await startLocalServer();
    try {
      const login = await fetch(server.explorerUrl, { redirect: 'manual' });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      for (const path of ['/explorer/', '/explorer/app.js', '/explorer/explorer.css']) {
        const answer = await fetch(`${server.url}${path}`, { headers: { cookie } });
        expect(answer.status, path).toBe(200);
      }
    } finally {
      await server.close();
    }
  });
});
