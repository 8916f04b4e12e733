import { describe, expect, it } from 'vitest';

describe('the dev runtime', () => {
  it('runs on Node 24 from the node@24 devDependency', () => {
    console.log(`node ${process.version}`);
    expect(process.version).toMatch(/^v24\./);
  });
});
