// Instant's `routes_test.clj › storage-impersonation-test`, ported to HTTP: uploads and deletes through
// the storage routes are checked against the `$files` rules for an impersonated caller (S3 is mocked
// away there; here the bytes go to the local server's blob folder).
import { afterAll, beforeAll, expect } from 'vitest';
import { fetchAnswer } from '../support/fetch-answer.ts';
import { type App, describe, it, startApp } from './harness.ts';

const FILE = 'routes_test.clj';

describe(`${FILE} › storage-impersonation-test`, () => {
  let app: App;
  const userEmail = 'test-user@example.com';
  let userToken = '';

  /** Every request of the test carries the admin token; `as` adds Instant's impersonation header. */
  const headers = (as: Record<string, string> = {}) => ({
    'app-id': app.server.appId,
    authorization: `Bearer ${app.server.adminToken}`,
    ...as,
  });
  const upload = (path: string, as: Record<string, string> = {}) =>
    fetchAnswer(
      `${app.server.url}/admin/storage/upload`,
      'PUT',
      {
        ...headers(as),
        path,
        'content-type': 'text/plain',
      },
      String.fromCharCode(1, 2, 3, 4, 5),
    ); // five bytes, as Instant's test sends
  const deleteOne = (filename: string, as: Record<string, string> = {}) =>
    fetchAnswer(
      `${app.server.url}/admin/storage/files?filename=${encodeURIComponent(filename)}`,
      'DELETE',
      headers(as),
    );
  const deleteMany = (filenames: string[], as: Record<string, string> = {}) =>
    fetchAnswer(
      `${app.server.url}/admin/storage/files/delete`,
      'POST',
      { ...headers(as), 'content-type': 'application/json' },
      { filenames },
    );

  beforeAll(async () => {
    // Only authenticated users can create/delete files.
    app = await startApp({
      rules: { $files: { allow: { create: 'auth.id != null', delete: 'auth.id != null', view: 'true' } } },
    });
    userToken = (await app.signIn(userEmail)).token;
  });
  afterAll(() => app.close());

  it('admin can upload', async () => {
    const answer = await upload('admin-file.txt');
    expect(answer.status).toBe(200);
    expect(answer.body.data.id).toBeTruthy();
  });

  it('user with email can upload', async () => {
    const answer = await upload('user-file.txt', { 'as-email': userEmail });
    expect(answer.status).toBe(200);
    expect(answer.body.data.id).toBeTruthy();
  });

  it('guest cannot upload', async () => {
    const answer = await upload('guest-file.txt', { 'as-guest': 'true' });
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('permission-denied');
  });

  it('user with token can upload', async () => {
    const answer = await upload('token-file.txt', { 'as-token': userToken });
    expect(answer.status).toBe(200);
    expect(answer.body.data.id).toBeTruthy();
  });

  it('admin can delete', async () => {
    expect((await upload('delete-test.txt')).status).toBe(200);
    const answer = await deleteOne('delete-test.txt');
    expect(answer.status).toBe(200);
    expect(answer.body.data.id).toBeTruthy();
  });

  it('user can delete', async () => {
    expect((await upload('user-delete-test.txt')).status).toBe(200);
    const answer = await deleteOne('user-delete-test.txt', { 'as-email': userEmail });
    expect(answer.status).toBe(200);
    expect(answer.body.data.id).toBeTruthy();
  });

  it('guest cannot delete', async () => {
    expect((await upload('guest-delete-test.txt')).status).toBe(200);
    const answer = await deleteOne('guest-delete-test.txt', { 'as-guest': 'true' });
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('permission-denied');
  });

  it('admin can bulk delete', async () => {
    for (const path of ['bulk1.txt', 'bulk2.txt']) expect((await upload(path)).status).toBe(200);
    const answer = await deleteMany(['bulk1.txt', 'bulk2.txt']);
    expect(answer.status).toBe(200);
    expect(answer.body.data.ids).toHaveLength(2);
  });

  it('user can bulk delete', async () => {
    for (const path of ['user-bulk1.txt', 'user-bulk2.txt']) expect((await upload(path)).status).toBe(200);
    const answer = await deleteMany(['user-bulk1.txt', 'user-bulk2.txt'], { 'as-email': userEmail });
    expect(answer.status).toBe(200);
    expect(answer.body.data.ids).toHaveLength(2);
  });

  it('guest cannot bulk delete', async () => {
    for (const path of ['guest-bulk1.txt', 'guest-bulk2.txt']) expect((await upload(path)).status).toBe(200);
    const answer = await deleteMany(['guest-bulk1.txt', 'guest-bulk2.txt'], { 'as-guest': 'true' });
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('permission-denied');
  });
});
