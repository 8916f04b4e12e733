import { isPlainObject } from '../../protocol/json.ts';
import { isUuid } from '../../protocol/uuid.ts';
import type { Attr } from '../store/attr.ts';
import { specFailed, type SpecIssue } from './spec-failed.ts';

type Path = readonly (number | string)[];

const REQUIRED_KEYS = ['id', 'forward-identity', 'value-type', 'cardinality', 'unique?', 'index?'] as const;
const BOOLEAN_KEYS = ['unique?', 'index?', 'required?'] as const;
const CHECKED_TYPES = new Set(['string', 'number', 'boolean', 'date']);

/** The first problem with an identity `[id, ns, label]` at `path`, as Instant's attribute spec reports it. */
function identityIssue(identity: unknown, path: Path): SpecIssue | undefined {
  if (!Array.isArray(identity)) return { expected: 'sequential?', in: path };
  const parts = [
    ['uuid?', isUuid],
    ['instant.db.model.attr/etype', isName],
    ['instant.db.model.attr/label', isName],
  ] as const;
  for (const [index, [expected, ok]] of parts.entries()) {
    if (index >= identity.length) return { expected, in: path };
    if (!ok(identity[index])) return { expected, in: [...path, index] };
  }
  return identity.length > 3 ? { expected: 'nil?', in: [...path, 3] } : undefined;
}

function isName(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * The first problem with an `add-attr` payload, as Instant's attribute spec (`instant.db.model.attr`)
 * reports it: `in` starts with the step's position, then 1 (the attribute), then the key.
 *
 * @example
 * attrIssue({ id: null }, 0) // { expected: 'uuid?', in: [0, 1, 'id'] } once the other keys are there
 */
export function attrIssue(wire: unknown, index: number): SpecIssue | undefined {
  const at: Path = [index, 1];
  if (!isPlainObject(wire)) return { expected: 'map?', in: at };
  const valueType = wire['value-type'];
  if (valueType !== 'blob' && valueType !== 'ref') return { expected: 'instant.db.model.attr/value-type', in: at };
  const keys = valueType === 'ref' ? [...REQUIRED_KEYS, 'reverse-identity'] : REQUIRED_KEYS;
  const absent = keys.find((key) => !(key in wire));
  if (absent) return { expected: `(contains? % :${absent})`, in: at };
  if (!isUuid(wire.id)) return { expected: 'uuid?', in: [...at, 'id'] };
  const forward = identityIssue(wire['forward-identity'], [...at, 'forward-identity']);
  if (forward) return forward;
  if (valueType === 'ref') {
    const reverse = identityIssue(wire['reverse-identity'], [...at, 'reverse-identity']);
    if (reverse) return reverse;
  }
  if (wire.cardinality !== 'one' && wire.cardinality !== 'many')
    return { expected: 'instant.db.model.attr/cardinality', in: [...at, 'cardinality'] };
  const notBoolean = BOOLEAN_KEYS.find((key) => key in wire && typeof wire[key] !== 'boolean');
  if (notBoolean) return { expected: 'boolean?', in: [...at, notBoolean] };
  const checked = wire['checked-data-type'];
  if (checked !== undefined && !CHECKED_TYPES.has(checked as string))
    return { expected: 'instant.db.model.attr/checked-data-type', in: [...at, 'checked-data-type'] };
  return undefined;
}

/**
 * Reads an `add-attr` payload (Instant's wire attribute, spec §9.2) into an {@link Attr}. A payload
 * Instant's attribute spec rejects is a 400 `Validation failed for tx-steps` with `{expected, in}`.
 */
export function parseAttr(wire: unknown, index: number, steps: unknown): Attr {
  const issue = attrIssue(wire, index);
  if (issue) throw specFailed('tx-steps', steps, issue);
  const attr = wire as Record<string, unknown>;
  const [fwdIdentId, ns, label] = attr['forward-identity'] as [string, string, string];
  // Instant gives some blob attributes a reverse identity too: it names the ident, it is not a link.
  const reverse = attr['reverse-identity'] as [string, string, string] | undefined;
  const reverseOk = Array.isArray(reverse) && identityIssue(reverse, []) === undefined;
  const text = (key: string): string | null => (typeof attr[key] === 'string' ? (attr[key] as string) : null);
  return {
    id: (attr.id as string).toLowerCase(),
    ns,
    label,
    revNs: reverseOk ? reverse[1] : null,
    revLabel: reverseOk ? reverse[2] : null,
    valueType: attr['value-type'] as 'blob' | 'ref',
    cardinality: attr.cardinality as 'one' | 'many',
    unique: attr['unique?'] === true,
    indexed: attr['index?'] === true,
    required: attr['required?'] === true,
    checkedType: text('checked-data-type'),
    onDelete: text('on-delete'),
    onDeleteReverse: text('on-delete-reverse'),
    fwdIdentId: fwdIdentId.toLowerCase(),
    ...(reverseOk ? { revIdentId: reverse[0].toLowerCase() } : {}),
  };
}
