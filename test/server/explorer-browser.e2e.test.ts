// The explorer page in a real browser: Debian's headless Chromium, driven by playwright-core (which
// downloads no browser). One launch, one page, the steps in order. Screenshots go to test/artifacts/
// (gitignored). Without Chromium the tests are skipped with a note saying how to run them.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { zenecaSteps } from './zeneca.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = new URL('../artifacts/explorer/', import.meta.url).pathname;
if (!HAVE_CHROMIUM && process.env.INSTANT_TX_REQUIRE_BROWSER)
  throw new Error(`INSTANT_TX_REQUIRE_BROWSER is set (as .ci/run does) but there is no Chromium at ${CHROMIUM}`);
if (!HAVE_CHROMIUM)
  console.warn(
    `explorer browser tests skipped: no Chromium at ${CHROMIUM}. Install it (Debian: apt-get install -y chromium) ` +
      'or set CHROMIUM_PATH to a Chromium binary to run them.',
  );

/** Bookshelves a guest may see: those ordered first on their user's page. */
// `<` rather than `==`: an equality would be matched in the database (a page never reads the rows it
// rejects), and the rules panel should show denied rows too.
const RULES = { bookshelves: { allow: { view: 'data.order < 1' } } };

describe.skipIf(!HAVE_CHROMIUM)('the explorer page in headless Chromium', () => {
  let server: LocalServer;
  let userDataDir: string;
  // playwright-core's types, loaded only when Chromium is there.
  let context: import('playwright-core').BrowserContext;
  let page: import('playwright-core').Page;
  const logs: string[] = [];

  const admin = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'app-id': server.appId,
        authorization: `Bearer ${server.adminToken}`,
      },
      body: JSON.stringify(body),
    });
    return (await response.json()) as any;
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const ready = () => page.waitForSelector('body[data-ready="true"]');
  /** Opens a view by its address (`#/browse/books`) and waits until it has rendered. */
  const open = async (hash: string) => {
    await page.goto(`${server.url}/explorer/${hash}`);
    await page.waitForFunction((want) => document.getElementById('main')?.dataset.rendered === want, hash);
  };
  const rowIds = () => page.$$eval('#rows tbody tr', (rows) => rows.map((row) => row.getAttribute('data-id')));

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startLocalServer({ rules: RULES, log: (line) => logs.push(line) });
    await admin('/admin/transact', { steps: zenecaSteps() });
    await admin('/admin/transact', {
      steps: [
        [
          'update',
          'notes',
          crypto.randomUUID(),
          { done: true, meta: { tags: ['a', 'b'] }, due: '2024-01-02T03:04:05Z' },
        ],
      ],
    });
    await admin('/admin/refresh_tokens', { email: 'reader@example.com' });
    const { chromium } = await import('playwright-core');
    userDataDir = mkdtempSync(join(tmpdir(), 'instant-tx-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') logs.push(`browser: ${message.text()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await server?.close();
  });

  it('logs in through the one-time link: the secret leaves the address bar, the session is an HttpOnly, SameSite=Strict cookie', async () => {
    await page.goto(server.explorerUrl!);
    await ready();
    expect(page.url()).not.toContain('secret');
    expect(page.url()).toMatch(/\/explorer\/#\/browse\//);
    const [cookie] = await context.cookies(`${server.url}/explorer/`);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/explorer' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('browses a namespace: row counts, a page of rows with attributes as columns, links as chips', async () => {
    await page.click('#ns-list a:has-text("bookshelves")');
    await page.waitForSelector('#rows tbody tr');
    const all = (await admin('/admin/query', { query: { bookshelves: {} } })).bookshelves as any[];
    expect(await page.textContent('#ns-list a[aria-current="page"] .count')).toBe(String(all.length));
    expect(await rowIds()).toHaveLength(20);
    const headers = await page.$$eval('#rows thead th', (ths) => ths.map((th) => th.textContent));
    expect(headers).toEqual(expect.arrayContaining(['id', 'name', 'order', 'desc', 'books →', 'users →']));
    expect(await page.locator('#rows tbody tr').first().locator('.chip').count()).toBeGreaterThan(0);
    await shot('browse-1280x800');
    await page.click('a:has-text("Next →")');
    await page.waitForFunction(() => document.querySelector('.pager span')?.textContent === 'Page 2');
    const second = await rowIds();
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((id) => all.some((shelf) => shelf.id === id))).toBe(true);
  });

  it('renders values by type: booleans, json and dates', async () => {
    await open('#/browse/notes');
    const row = page.locator('#rows tbody tr').first();
    expect(await row.locator('.bool-true').textContent()).toBe('true');
    expect(await row.locator('details.json summary').textContent()).toBe('{"tags":["a","b"]}');
    expect(await row.locator('time').getAttribute('datetime')).toBe('2024-01-02T03:04:05.000Z');
  });

  it('follows a link chip to the linked row', async () => {
    await open(`#/browse/users`);
    await page.waitForSelector('#rows tbody tr');
    const chip = page.locator('#rows tbody tr').first().locator('td.chips a.chip').first();
    const href = (await chip.getAttribute('href'))!;
    const id = new URLSearchParams(href.split('?')[1]).get('id');
    await chip.click();
    await page.waitForFunction((want) => location.hash.includes(want!), id);
    await page.waitForSelector(`#rows tbody tr[data-id="${id}"]`);
    expect(await rowIds()).toEqual([id]);
    expect(await page.textContent('#view-title')).toContain('bookshelves');
  });

  it('searches by an indexed attribute with the keyboard alone', async () => {
    await open(`#/browse/users`);
    await page.waitForSelector('#search-text');
    await page.focus('body');
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'search-text')) break;
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-text');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('h');
    expect(await page.inputValue('#search-attr')).toBe('handle');
    await page.keyboard.press('Tab');
    await page.keyboard.type('stopa');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#rows tbody tr').length === 1);
    expect(await page.textContent('#rows tbody tr')).toContain('stopa');
  });

  it('runs a query: schema names suggested, results as a tree and as a table, with the time it took', async () => {
    await page.click('nav a:has-text("Query")');
    await page.waitForSelector('#query-text');
    await page.fill('#query-text', '{"users": {"$": {"where": {"handle": "stopa"}}, "bookshe');
    await page.press('#query-text', 'l');
    await page.waitForSelector('#suggestions button:has-text("bookshelves")');
    await page.fill('#query-text', '{"users": {"$": {"where": {"handle": "stopa"}}, "bookshelves": {}}}');
    await page.click('#run-query');
    await page.waitForSelector('#query-timing');
    expect(await page.textContent('#query-timing')).toMatch(/Answered in \d+(\.\d)? ms/);
    expect(await page.textContent('.result-tree')).toContain('bookshelves [');
    const table = page.locator('.result-tables table').first();
    expect(await table.locator('caption').textContent()).toBe('users: 1 rows');
    expect(await table.textContent()).toContain('stopa@instantdb.com');
    await shot('query-1280x800');
  });

  it("shows the server's error for a bad query, readably", async () => {
    await page.fill('#query-text', '{"users": {"$": {"limit": -1}}}');
    await page.keyboard.press('Control+Enter');
    const error = page.locator('#query-output .error[role="alert"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('HTTP 400, validation-failed');
    expect(await error.textContent()).toContain('The limit field must be a positive integer. Got -1.');
    await page.fill('#query-text', '{"users": ');
    await page.click('#run-query');
    await page.waitForFunction(() => document.querySelector('#query-output .error')?.textContent?.includes('Not JSON'));
    await shot('query-error');
  });

  it('as a guest, the rows a rule hides disappear and the panel names the rule for each', async () => {
    await open(`#/browse/bookshelves`);
    await page.waitForSelector('#rows tbody tr');
    expect(await rowIds()).toHaveLength(20);
    await page.selectOption('#as-kind', 'guest');
    await page.waitForSelector('.rules');
    const visible = (await rowIds()) as string[];
    const all = (await admin('/admin/query', { query: { bookshelves: {} } })).bookshelves as any[];
    const allowed = all.filter((shelf) => shelf.order === 0).map((shelf) => shelf.id);
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.sort()).toEqual(allowed.sort().slice(0, visible.length));
    expect(await page.textContent('#ns-list a[aria-current="page"] .count')).toBe(String(allowed.length));
    const rules = await page.textContent('.rules');
    expect(rules).toMatch(/Rules: \d+ allowed, \d+ denied/);
    expect(rules).toContain('data.order < 1');
    expect(await page.locator('.rules li.denied').count()).toBeGreaterThan(0);
    await shot('guest-1280x800');
    await page.selectOption('#as-kind', 'user');
    await page.fill('#as-email', 'reader@example.com');
    const renders = await page.getAttribute('#main', 'data-renders');
    await page.press('#as-email', 'Enter');
    await page.waitForFunction((before) => document.getElementById('main')?.dataset.renders !== before, renders);
    expect(await page.getAttribute('body', 'data-as')).toBe('user');
    expect(((await rowIds()) as string[]).sort()).toEqual(visible);
    await page.selectOption('#as-kind', 'admin');
    await page.waitForFunction(() => !document.querySelector('.rules'));
    expect(await rowIds()).toHaveLength(20);
  });

  it('edits a row: the steps are shown first, then sent; /admin/query sees the change', async () => {
    const [book] = (await admin('/admin/query', { query: { books: { $: { where: { title: 'Norse Mythology' } } } } }))
      .books as any[];
    await open(`#/browse/books?id=${book.id}`);
    await page.waitForSelector(`#rows tbody tr[data-id="${book.id}"]`);
    await page.click(`#rows tbody tr[data-id="${book.id}"] button.row-edit`);
    await page.fill('#edit-title', 'Norse Mythology (edited)');
    await page.click('#review-update');
    const preview = JSON.parse((await page.textContent('#steps-preview'))!);
    expect(preview).toEqual([['update', 'books', book.id, { title: 'Norse Mythology (edited)' }]]);
    const before = (await admin('/admin/query', { query: { books: { $: { where: { id: book.id } } } } })).books[0];
    expect(before.title).toBe('Norse Mythology');
    await shot('edit-review');
    // The review moves focus to its Send button, so the keyboard sends it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('send-steps');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#rows tbody')?.textContent?.includes('(edited)'));
    const after = (await admin('/admin/query', { query: { books: { $: { where: { id: book.id } } } } })).books[0];
    expect(after.title).toBe('Norse Mythology (edited)');
  });

  it('adds and removes a link, and deletes a row, each through /admin/transact', async () => {
    const users = (await admin('/admin/query', { query: { users: { bookshelves: {} } } })).users as any[];
    const [joe, other] = [users.find((u) => u.handle === 'joe'), users.find((u) => u.handle !== 'joe')];
    const shelf = other.bookshelves[0];
    await open(`#/browse/users?id=${joe.id}`);
    await page.click(`#rows tbody tr[data-id="${joe.id}"] button.row-edit`);
    await page.fill('#link-bookshelves', shelf.id);
    await page.press('#link-bookshelves', 'Enter');
    expect(JSON.parse((await page.textContent('#steps-preview'))!)).toEqual([
      ['link', 'users', joe.id, { bookshelves: shelf.id }],
    ]);
    const renders = await page.getAttribute('#main', 'data-renders');
    await page.click('#send-steps');
    // The page reloads its data after a commit: wait for that render, not the table already there.
    await page.waitForFunction((before) => document.getElementById('main')?.dataset.renders !== before, renders);
    const linked = async () =>
      (
        (await admin('/admin/query', { query: { users: { $: { where: { id: joe.id } }, bookshelves: {} } } })).users[0]
          .bookshelves as any[]
      ).map((s) => s.id);
    expect(await linked()).toContain(shelf.id);
    await page.click(`#rows tbody tr[data-id="${joe.id}"] button.row-edit`);
    await page.click(`button[aria-label="Remove link to ${shelf.id}"]`);
    await page.click('#send-steps');
    await page.waitForFunction(() => !document.querySelector('#send-steps'));
    expect(await linked()).not.toContain(shelf.id);
    await open(`#/browse/bookshelves?id=${shelf.id}`);
    await page.click(`#rows tbody tr[data-id="${shelf.id}"] button.row-edit`);
    await page.click('#review-delete');
    expect(JSON.parse((await page.textContent('#steps-preview'))!)).toEqual([['delete', 'bookshelves', shelf.id]]);
    await page.click('#send-steps');
    await page.waitForSelector('#no-rows');
    expect(
      (await admin('/admin/query', { query: { bookshelves: { $: { where: { id: shelf.id } } } } })).bookshelves,
    ).toEqual([]);
  });

  it('lists recent transactions with their steps, and the emails the server did not send', async () => {
    const sent = await admin('/admin/send_magic_code', { email: 'reader@example.com' });
    await page.click('nav a:has-text("Activity")');
    await page.waitForSelector('#activity-list');
    const first = await page.textContent('#activity-list li:first-child');
    expect(first).toMatch(/tx \d+ · .* · admin · 1 step/);
    expect(first).toContain('["delete","bookshelves"');
    expect(await page.textContent('#activity-list li:last-child summary')).toMatch(
      /tx 1 · .* · admin · 2661 steps · add-attr ×19, update books$/,
    );
    expect(await page.locator('#activity-list li').count()).toBe(6);
    const outbox = await page.textContent('#outbox-list');
    expect(outbox).toContain('reader@example.com');
    expect(outbox).toContain(sent.code as string);
    await shot('activity');
  });

  it('is readable on a narrow window, and the browser never logged an error nor saw the admin token', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await open(`#/browse/books`);
    await page.waitForSelector('#rows tbody tr');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('browse-narrow-420x800');
    expect(await page.content()).not.toContain(server.adminToken);
    expect(logs.filter((line) => line.includes(server.adminToken))).toEqual([]);
    expect(logs.filter((line) => line.startsWith('browser:') && !line.includes('400'))).toEqual([]);
  });

  it('logs out: the page and its API refuse the browser afterwards', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await open('#/browse/users');
    await page.click('#logout');
    await page.waitForSelector('h1:has-text("Not logged in")');
    const answer = await page.evaluate(async () => {
      const response = await fetch('/explorer/api/schema', { headers: { 'x-explorer-request': '1' } });
      return response.status;
    });
    expect(answer).toBe(401);
  });
});
