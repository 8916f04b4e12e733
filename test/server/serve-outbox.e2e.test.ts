import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs `instant-tx serve`, sends a magic code and returns the lines serve printed after its banner. */
async function printedAfterSend(json: boolean): Promise<{ lines: string[]; code: string }> {
  const child = spawn(process.execPath, [cli, 'serve', ...(json ? ['--json'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const banner: string[] = [];
    // the banner ends with the explorer's login link (with --json, one line holds everything)
    while (!banner.some((line) => line.includes('explorer:') || line.includes('"adminToken"')))
      banner.push((await lines.next()).value as string);
    const text = banner.join('\n');
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(text)![0];
    const [appId, adminToken] = text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)!;
    const res = await fetch(`${url}/admin/send_magic_code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'app-id': appId!, authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ email: 'Alyssa@Example.com' }),
    });
    const { code } = (await res.json()) as { code: string };
    const printed: string[] = [];
    for (let i = 0; i < (json ? 1 : 5); i++) printed.push((await lines.next()).value as string);
    return { lines: printed, code };
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe('instant-tx serve prints the emails it does not send', () => {
  it('one block of lines per magic code: to, subject, code', async () => {
    const { lines, code } = await printedAfterSend(false);
    expect(lines[0]).toMatch(/^--- email \(not sent: local outbox\) \d{4}-\d\d-\d\dT/);
    expect(lines.slice(1)).toEqual([
      '  to:      alyssa@example.com',
      `  subject: ${code} is your verification code for your app`,
      `  code:    ${code}`,
      '---',
    ]);
  });

  it('one JSON line with --json', async () => {
    const { lines, code } = await printedAfterSend(true);
    expect(JSON.parse(lines[0]!)).toEqual({
      email: {
        to: 'alyssa@example.com',
        subject: `${code} is your verification code for your app`,
        code,
        sentAt: expect.stringMatching(/Z$/),
      },
    });
  });
});
