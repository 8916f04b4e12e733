import { ApiError, validationFailed } from '../api/api-error.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { checkNoNulBytes } from './nul-bytes.ts';
import { isReservedNamespace, isSystemColumn } from './system-catalog.ts';

/** The docs Instant points to when a system attribute is made required. */
const REQUIRED_DOCS = 'https://www.instantdb.com/docs/modeling-data#required-constraints';

/** An attribute's names: its forward `[ns, label]` and, when it has one, its reverse. */
function identNames(attr: Attr): [string, string][] {
  const names: [string, string][] = [[attr.ns, attr.label]];
  if (attr.revNs && attr.revLabel) names.push([attr.revNs, attr.revLabel]);
  return names;
}

/**
 * Rejects an `add-attr` whose names belong to the system catalog: an existing system column, or a
 * new `$`-namespace other than `$users`, `$files` and `$streams`.
 */
export function checkSystemNames(attr: Attr): void {
  for (const [ns, label] of identNames(attr)) {
    if (isSystemColumn(ns, label))
      throw validationFailed('attributes', attr, [`${ns}.${label} is a system column and it already exists.`]);
  }
  checkReservedNamespaces(attr);
}

/**
 * Rejects an attribute on a `$`-namespace apps may not extend. Also run for the attributes a write
 * creates on its own: Instant checks every attribute a transaction creates. (A system column a write
 * names exists in Instant's catalog, so it is never created there; here it is made on first use.)
 */
export function checkReservedNamespaces(attr: Attr): void {
  for (const [ns] of identNames(attr)) {
    if (isReservedNamespace(ns))
      throw validationFailed('attributes', attr, [`$ is reserved for system tables. You can't create ${ns}`]);
  }
}

/** A UTF-16 surrogate not part of a pair (with the `u` flag, pairs are read as one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Rejects an attribute whose names cannot be stored as they are: a NUL character (Instant's null-bytes
 * error), or a lone UTF-16 surrogate, which has no UTF-8 form (SQLite would store U+FFFD in its place,
 * so the name would change under the app). Run for every attribute, added or created by a write.
 */
export function checkStorableNames(attr: Attr): void {
  const names = identNames(attr).flat();
  checkNoNulBytes(names);
  const broken = names.find((name) => LONE_SURROGATE.test(name));
  if (broken !== undefined)
    throw validationFailed('attributes', attr, [
      `${JSON.stringify(broken)} holds a lone surrogate; names must be well-formed Unicode.`,
    ]);
}

/**
 * Rejects an attribute whose forward or reverse name another attribute already holds, forward or
 * reverse (Instant's idents are unique): `record-not-unique`. Also run for the links a write creates on
 * its own, whose reverse name (`label.ns`) may be taken though the forward one is free.
 */
export function checkNamesFree(registry: AttrRegistry, attr: Attr): void {
  for (const [ns, label] of identNames(attr)) {
    const holder = registry.forward(ns, label) ?? registry.reverse(ns, label);
    if (holder && !(holder.id === attr.id && sameIdent(holder, attr, ns, label)))
      throw new ApiError(400, 'record-not-unique', `\`${label}\` already exists on \`${ns}\``, {
        'record-type': 'ident',
        etype: ns,
        label,
      });
  }
}

/**
 * Runs an `add-attr` step the way Instant does: system names and a required attribute on a namespace
 * that already has entities are rejected; re-adding an identical attribute changes nothing; a name
 * another attribute holds (forward or reverse) is `record-not-unique`; a required attribute on a
 * `$`-namespace is rejected; an id held by a different attribute (a soft-deleted one too) conflicts.
 * Then the attribute is stored.
 */
export function addAttr(registry: AttrRegistry, store: TripleStore, attr: Attr): void {
  checkStorableNames(attr);
  checkSystemNames(attr);
  if (attr.required && registry.all().some((other) => other.ns === attr.ns && store.hasAny(other.id)))
    throw validationFailed('attributes', attr, [
      `Can't create attribute \`${attr.label}\` as required because \`${attr.ns}\` already have entities`,
    ]);
  const existing = registry.byId(attr.id);
  if (existing && sameAttr(existing, attr)) return;
  checkNamesFree(registry, attr);
  if (attr.required && attr.ns.startsWith('$'))
    throw new ApiError(
      400,
      'validation-failed',
      `You can't create a required system attribute. Make sure it's optional. Check out the docs to learn more: ${REQUIRED_DOCS}`,
    );
  if (existing || registry.isSoftDeleted(attr.id))
    throw new ApiError(
      400,
      'sql-raise',
      `Raised Exception: The attribute with id ${attr.id} conflicts with an existing attribute with id ${attr.id}.`,
      { table: 'attrs', condition: 'raise-exception' },
    );
  registry.add(attr);
}

/** True when `holder` names `ns.label` with the same identity id as `attr` (an identity re-sent as is). */
function sameIdent(holder: Attr, attr: Attr, ns: string, label: string): boolean {
  const forward = holder.ns === ns && holder.label === label;
  const held = forward ? holder.fwdIdentId : holder.revIdentId;
  const sent = attr.ns === ns && attr.label === label ? attr.fwdIdentId : attr.revIdentId;
  return held === undefined || sent === undefined || held === sent;
}

const COMPARED = [
  'ns',
  'label',
  'revNs',
  'revLabel',
  'valueType',
  'cardinality',
  'unique',
  'indexed',
  'required',
  'checkedType',
  'onDelete',
  'onDeleteReverse',
] as const;

/** True when `sent` is `stored` again: same properties and, where both are known, same identity ids. */
function sameAttr(stored: Attr, sent: Attr): boolean {
  if (COMPARED.some((key) => stored[key] !== sent[key])) return false;
  return identNames(sent).every(([ns, label]) => sameIdent(stored, sent, ns, label));
}
