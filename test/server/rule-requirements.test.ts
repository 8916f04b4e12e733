import { parse } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { ruleRequirements } from '../../src/server/permissions/rule-requirements.ts';

const requirements = (code: string) =>
  ruleRequirements(parse(code).ast).map(({ label, term }) => [
    label,
    term.kind === 'literal' ? term.json : `auth.${term.key}`,
  ]);

describe('the values a view rule requires of every entity it lets through', () => {
  it('reads equalities with literals and auth keys on either side, through && chains', () => {
    expect(requirements('data.visible == true')).toEqual([['visible', 'true']]);
    expect(requirements('"a" == data.kind && data.n == 3 && auth.id == data.owner')).toEqual([
      ['kind', '"a"'],
      ['n', '3'],
      ['owner', 'auth.id'],
    ]);
    expect(requirements('(data.x == 1.5) && (data["$tag"] == false)')).toEqual([
      ['x', '1.5'],
      ['$tag', 'false'],
    ]);
  });

  it('follows cel.bind of a literal or an auth key, and stops where data or auth is rebound', () => {
    expect(requirements('cel.bind(me, auth.id, data.owner == me && data.open == true)')).toEqual([
      ['owner', 'auth.id'],
      ['open', 'true'],
    ]);
    expect(requirements('cel.bind(limit, data.n + 1, data.n == limit)')).toEqual([]);
    expect(requirements('cel.bind(data, {"x": 1}, data.x == 1)')).toEqual([]);
    expect(requirements('cel.bind(auth, {"id": "x"}, data.owner == auth.id)')).toEqual([]);
  });

  it('requires nothing for anything that is not a conjunction of such equalities', () => {
    for (const code of [
      'data.a == 1 || data.b == 2',
      '!(data.a == 1)',
      'data.a != 1',
      'data.n % 2 == 0',
      'data.a == null',
      'data.a == -1',
      'data.a == [1]',
      'data.a == ruleParams.x',
      'data.a == data.b',
      'data.id == auth.id',
      "data.ref('owner.id') == auth.id",
      'true',
    ])
      expect(requirements(code), code).toEqual([]);
  });

  it('keeps the requirements of both sides of a nested &&, even under || elsewhere', () => {
    expect(requirements('(data.a == 1 && (data.b == 2 || data.c == 3)) && data.d == "x"')).toEqual([
      ['a', '1'],
      ['d', '"x"'],
    ]);
  });
});
