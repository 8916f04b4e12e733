/**
 * Instant's zeneca fixtures for the InstaQL ports: the attributes as Instant's bootstrap defines them,
 * a loader that leaves the app as Instant's fixture does, and the expected rows computed from the raw
 * triples.
 */
import { attrs as zenecaAttrs, triples as zenecaTriples, valuesOf, zenecaSteps } from '../server/zeneca.ts';
import type { App } from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The zeneca attributes as Instant's bootstrap (`extract-zeneca-txes`) defines them: `id` attrs unique
 * and not indexed; `email`/`handle`/`isbn13` unique; `email`/`handle`/`title`/`order` indexed; refs
 * many-to-many; with `checked?` (`with-zeneca-checked-data-app`) also typed: `email`, `handle`, `isbn13`,
 * `title`, `fullName`, `description` strings, `order` a number, `createdAt` a date.
 */
export function instantZenecaAttrs(checked: boolean): Record<string, unknown>[] {
  const types: Record<string, string> = {
    email: 'string',
    handle: 'string',
    isbn13: 'string',
    title: 'string',
    fullName: 'string',
    description: 'string',
    order: 'number',
    createdAt: 'date',
  };
  return zenecaAttrs.map((attr) => {
    if (attr['value-type'] === 'ref') return attr;
    const label = attr['forward-identity'][2] as string;
    const { 'checked-data-type': _ignored, ...rest } = attr;
    if (label === 'id') return { ...rest, 'unique?': true, 'index?': false };
    return {
      ...rest,
      'unique?': ['email', 'handle', 'isbn13'].includes(label),
      'index?': ['email', 'handle', 'title', 'order'].includes(label),
      ...(checked && types[label] ? { 'checked-data-type': types[label] } : {}),
    };
  });
}

const fixtureById = new Map(zenecaAttrs.map((attr) => [attr.id as string, attr]));

/** The namespace a zeneca link step `['link', ns, e, {label: v}]` points to. */
function linkTarget(ns: string, label: string): string {
  const attr = zenecaAttrs.find((a) => a['forward-identity'][1] === ns && a['forward-identity'][2] === label)!;
  return attr['reverse-identity'][1] as string;
}

/**
 * Loads zeneca the way Instant's fixture leaves it: users created one transaction at a time in
 * `createdAt` order (Instant rewrites their `id` triples' `created_at` to it), then the rest. `only`
 * keeps just those namespaces (and the links between them), for permission cases that read nothing else.
 */
export async function loadInstantZeneca(app: App, checked: boolean, only?: readonly string[]): Promise<void> {
  const keep = (ns: string) => !only || only.includes(ns);
  const steps = zenecaSteps().filter((step) => {
    if (step[0] === 'add-attr') return false;
    const ns = step[1] as string;
    if (!keep(ns)) return false;
    if (step[0] !== 'link') return true;
    return keep(linkTarget(ns, Object.keys(step[3] as object)[0]!));
  });
  await app.mustTransact(instantZenecaAttrs(checked).map((attr) => ['add-attr', attr]));
  if (keep('users')) {
    const byCreatedAt = [...valuesOf('users', 'createdAt')].sort(([, a], [, b]) => String(a).localeCompare(String(b)));
    for (const [id] of byCreatedAt) {
      await app.mustTransact([['update', 'users', id, {}]]);
      await sleep(3);
    }
  }
  for (let start = 0; start < steps.length; start += 1000) await app.mustTransact(steps.slice(start, start + 1000));
}

/** A zeneca entity as `/admin/query` shows it: `id` plus every forward cardinality-one data attribute. */
export function zenecaEntity(ns: string, id: string): Record<string, unknown> {
  const entity: Record<string, unknown> = { id };
  for (const [e, a, v] of zenecaTriples) {
    if (e !== id) continue;
    const attr = fixtureById.get(a)!;
    const [, attrNs, label] = attr['forward-identity'];
    if (attrNs !== ns || label === 'id' || attr['value-type'] === 'ref') continue;
    entity[label] = v;
  }
  return entity;
}

export const userIdByHandle = new Map([...valuesOf('users', 'handle')].map(([id, handle]) => [handle as string, id]));
export const userId = (handle: string): string => userIdByHandle.get(handle)!;
export const user = (handle: string): Record<string, unknown> => zenecaEntity('users', userId(handle));
export const users = (...handles: string[]): Record<string, unknown>[] => handles.map(user);
/** The bookshelf named `name` (only used for names no other shelf has). */
export const shelfId = (name: string): string =>
  [...valuesOf('bookshelves', 'name')].find(([, n]) => String(n) === name)![0];
export const shelf = (name: string): Record<string, unknown> => zenecaEntity('bookshelves', shelfId(name));
export const bookId = (title: string): string => [...valuesOf('books', 'title')].find(([, t]) => t === title)![0];
export const book = (title: string): Record<string, unknown> => zenecaEntity('books', bookId(title));
export const emailOf = (handle: string): string => valuesOf('users', 'email').get(userId(handle)) as string;
export const handles = ['stopa', 'joe', 'alex', 'nicolegf'];

/** Rows sorted by id, for comparing whole entities as a set. */
export const byId = <T extends Record<string, unknown>>(rows: T[]): T[] =>
  [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
