import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { Cardinality, ValueTypeName } from './value-types.ts';

/** What the compiler needs to know about one data attribute. */
export interface AttrInfo {
  readonly name: string;
  readonly valueType: ValueTypeName;
  readonly required: boolean;
  readonly unique: boolean;
  readonly indexed: boolean;
}

/** A link label as seen from one namespace. */
export interface LinkInfo {
  readonly label: string;
  readonly target: string;
  readonly has: Cardinality;
}

/** One namespace's attributes and link labels. */
export interface NamespaceInfo {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, AttrInfo>;
  readonly links: ReadonlyMap<string, LinkInfo>;
}

/** A schema flattened into lookup tables; the same whether it came from instant-tx or `@instantdb/admin`. */
export interface SchemaIndex {
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
}

const VALUE_TYPES = new Set<string>(['string', 'number', 'boolean', 'date', 'json']);
const cache = new WeakMap<object, SchemaIndex>();

/**
 * Flattens a schema object (ours, or one made by `@instantdb/admin`'s `i.schema`) into lookup tables,
 * checking its shape. Results are cached per schema object.
 *
 * @example
 * indexSchema(schema).namespaces.get('goals')?.attrs.get('title')?.valueType // 'string'
 */
export function indexSchema(schema: unknown): SchemaIndex {
  if (typeof schema === 'object' && schema !== null) {
    const cached = cache.get(schema);
    if (cached) return cached;
  }
  const issues: ValidationIssue[] = [];
  const index = buildIndex(schema, issues);
  if (issues.length > 0) throw new InstantValidationError(issues, 'schema');
  cache.set(schema as object, index);
  return index;
}

function buildIndex(schema: unknown, issues: ValidationIssue[]): SchemaIndex {
  const entities = objectAt(schema, 'entities', 'schema', issues) ?? {};
  const links = objectAt(schema, 'links', 'schema', issues, true) ?? {};
  const namespaces = new Map<string, { name: string; attrs: Map<string, AttrInfo>; links: Map<string, LinkInfo> }>();
  for (const [name, entity] of Object.entries(entities)) {
    const attrs = new Map<string, AttrInfo>();
    const attrDefs = objectAt(entity, 'attrs', `schema.entities.${name}`, issues) ?? {};
    for (const [attrName, def] of Object.entries(attrDefs)) {
      const info = readAttr(attrName, def, `schema.entities.${name}.attrs.${attrName}`, issues);
      if (info) attrs.set(attrName, info);
    }
    namespaces.set(name, { name, attrs, links: new Map() });
  }
  addSystemNamespaces(namespaces);
  for (const [linkName, link] of Object.entries(links)) {
    readLink(link, `schema.links.${linkName}`, namespaces, issues);
  }
  return Object.freeze({ namespaces });
}

function readAttr(name: string, def: unknown, path: string, issues: ValidationIssue[]): AttrInfo | undefined {
  const record = def as {
    valueType?: unknown;
    required?: unknown;
    isIndexed?: unknown;
    config?: { unique?: unknown; indexed?: unknown };
  };
  if (typeof def !== 'object' || def === null || !VALUE_TYPES.has(String(record.valueType))) {
    issues.push(createIssue('invalid-argument', path, 'expected an attribute definition such as i.string()'));
    return undefined;
  }
  return Object.freeze({
    name,
    valueType: record.valueType as ValueTypeName,
    required: record.required === true,
    unique: record.config?.unique === true,
    indexed: record.isIndexed === true || record.config?.indexed === true,
  });
}

type MutableNamespaces = Map<string, { name: string; attrs: Map<string, AttrInfo>; links: Map<string, LinkInfo> }>;

function readLink(link: unknown, path: string, namespaces: MutableNamespaces, issues: ValidationIssue[]): void {
  const forward = readSide(link, 'forward', path, issues);
  const reverse = readSide(link, 'reverse', path, issues);
  if (!forward || !reverse) return;
  for (const [side, other, sidePath] of [
    [forward, reverse, 'forward'],
    [reverse, forward, 'reverse'],
  ] as const) {
    const ns = namespaces.get(side.on);
    if (!ns) {
      issues.push(createIssue('unknown-namespace', `${path}.${sidePath}.on`, `no namespace '${side.on}' in entities`));
      continue;
    }
    ns.links.set(side.label, Object.freeze({ label: side.label, target: other.on, has: side.has }));
  }
}

function readSide(link: unknown, key: 'forward' | 'reverse', path: string, issues: ValidationIssue[]) {
  const side = (link as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  const ok =
    typeof side === 'object' &&
    side !== null &&
    typeof side.on === 'string' &&
    typeof side.label === 'string' &&
    side.label !== '' &&
    (side.has === 'one' || side.has === 'many');
  if (!ok) {
    issues.push(createIssue('invalid-argument', `${path}.${key}`, "expected {on, has: 'one' | 'many', label}"));
    return undefined;
  }
  return side as { on: string; label: string; has: Cardinality };
}

function objectAt(parent: unknown, key: string, path: string, issues: ValidationIssue[], optional = false) {
  const value = (parent as Record<string, unknown> | null)?.[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push(createIssue('invalid-argument', `${path}.${key}`, 'expected an object'));
    return undefined;
  }
  return value as Record<string, unknown>;
}

const SYSTEM_ATTRS: Readonly<Record<string, readonly AttrInfo[]>> = {
  $users: [
    { name: 'email', valueType: 'string', required: false, unique: true, indexed: true },
    { name: 'imageURL', valueType: 'string', required: false, unique: false, indexed: false },
    { name: 'type', valueType: 'string', required: false, unique: false, indexed: false },
  ],
  $files: [
    { name: 'path', valueType: 'string', required: true, unique: true, indexed: true },
    { name: 'url', valueType: 'string', required: false, unique: false, indexed: false },
  ],
};

/** Instant has `$users` and `$files` in every app; a schema may add attributes to them but need not declare them. */
function addSystemNamespaces(namespaces: MutableNamespaces): void {
  for (const [name, attrs] of Object.entries(SYSTEM_ATTRS)) {
    const ns = namespaces.get(name) ?? { name, attrs: new Map(), links: new Map() };
    for (const attr of attrs) if (!ns.attrs.has(attr.name)) ns.attrs.set(attr.name, attr);
    namespaces.set(name, ns);
  }
  const users = namespaces.get('$users')!;
  if (!users.links.has('linkedPrimaryUser')) {
    users.links.set('linkedPrimaryUser', { label: 'linkedPrimaryUser', target: '$users', has: 'one' });
    users.links.set('linkedGuestUsers', { label: 'linkedGuestUsers', target: '$users', has: 'many' });
  }
}
