import { describe, expect, it } from 'vitest';
import { useServer, uuid } from './helpers.ts';

/** Names that are keys of `Object.prototype` (or set it): looked up in a plain object, they find something. */
const NAMES = ['__proto__', 'constructor', 'toString'];

describe('namespaces, labels and actions named like Object.prototype keys', () => {
  const api = useServer();

  it.each(NAMES)(
    'a namespace %s takes attributes and entities, shows in the schema and answers queries',
    async (ns) => {
      const id = uuid();
      const attr = {
        id: uuid(),
        'forward-identity': [uuid(), ns, 'title'],
        'value-type': 'blob',
        cardinality: 'one',
        'unique?': false,
        'index?': false,
      };
      expect((await api.transact([['add-attr', attr]])).status).toBe(200);
      expect((await api.transact([['update', ns, id, { title: 'x', [ns]: 1 }]])).status).toBe(200);
      const schema = await api.call('GET', '/admin/schema');
      expect(Object.hasOwn(schema.body.schema.blobs, ns)).toBe(true);
      expect(Object.keys(schema.body.schema.blobs[ns]).sort()).toEqual([ns, 'id', 'title'].sort());
      const query = await api.call('POST', '/admin/query', `{"query": {${JSON.stringify(ns)}: {}}}`);
      expect(query.status).toBe(200);
      expect(JSON.parse(query.text)[ns]).toEqual([{ id, title: 'x', [ns]: 1 }]);
    },
  );

  it.each(NAMES)('a step whose action is %s is an unknown action, not a crash', async (action) => {
    const answer = await api.transact([[action, 'goals', uuid(), {}]]);
    expect(answer.status).toBe(400);
    expect(answer.body.hint.errors).toEqual([{ expected: 'action?', in: [0, 0] }]);
  });
});
