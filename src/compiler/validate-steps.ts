import { describeEntityRef, isLookup, type EntityRef } from '../builder/lookup.ts';
import type { RecordedLinkTarget, RecordedLinks, RecordedStep } from '../builder/recorded-step.ts';
import { formatPath } from '../builder/path.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { JsonObject } from '../protocol/json.ts';
import type { NamespaceInfo, SchemaIndex } from '../schema/schema-index.ts';
import { assertNever } from './assert-never.ts';
import { checkValueType } from './check-value-type.ts';

/**
 * Checks recorded steps against a schema and returns every problem: unknown namespaces, attributes and
 * link labels, wrong value types, lookups on non-unique attributes, `create` without required attributes.
 *
 * @example
 * const issues = validateSteps(getSteps(tx.goals[goalId].update({ titel: 'x' })), indexSchema(schema));
 * if (issues.length > 0) throw new InstantValidationError(issues);
 */
export function validateSteps(steps: readonly RecordedStep[], schema: SchemaIndex): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const step of steps) validateStep(step, schema, issues);
  return dedupe(issues);
}

/** Where a step's arguments sit: `goals[<id>].update`. Built only when there is an issue to report. */
function stepPath(step: RecordedStep): string {
  return `${step[1]}[${describeEntityRef(step[2])}].${step[0]}`;
}

function validateStep(step: RecordedStep, schema: SchemaIndex, issues: ValidationIssue[]): void {
  const action = step[0];
  const namespace = step[1];
  const id = step[2];
  const ns = schema.namespaces.get(namespace);
  if (!ns) {
    const known = [...schema.namespaces.keys()].join(', ');
    issues.push(
      createIssue(
        'unknown-namespace',
        `${namespace}`,
        `namespace '${namespace}' is not in the schema (known: ${known})`,
      ),
    );
    return;
  }
  if (isLookup(id)) checkEntityRef(id, ns, `${namespace}[${describeEntityRef(id)}]`, issues);
  switch (action) {
    case 'create':
      checkAttrs(step, ns, issues);
      checkRequired(step, ns, issues);
      return;
    case 'update':
    case 'merge':
      checkAttrs(step, ns, issues);
      return;
    case 'link':
    case 'unlink':
      checkLinks(step, ns, schema, issues);
      return;
    case 'delete':
    case 'ruleParams':
      return;
    default:
      assertNever(action);
  }
}

function checkEntityRef(
  ref: EntityRef | RecordedLinkTarget,
  ns: NamespaceInfo,
  path: string,
  issues: ValidationIssue[],
): void {
  if (!isLookup(ref)) return;
  const where = `${path}.lookup(${ref.attribute})`;
  const refLabel = ref.attribute.endsWith('.id') ? ref.attribute.slice(0, -3) : undefined;
  if (refLabel !== undefined && ns.links.has(refLabel)) return;
  const attr = ns.attrs.get(ref.attribute);
  if (!attr) {
    issues.push(createIssue('unknown-attribute', where, `'${ns.name}' has no attribute '${ref.attribute}'`));
  } else if (!attr.unique) {
    issues.push(
      createIssue('not-unique', where, `'${ns.name}.${ref.attribute}' is not unique, so it cannot be used in a lookup`),
    );
  } else {
    const problem = checkValueType(attr, ref.value);
    if (problem) issues.push(createIssue('wrong-type', where, problem));
  }
}

function checkAttrs(step: RecordedStep, ns: NamespaceInfo, issues: ValidationIssue[]): void {
  const attrs = step[3] as JsonObject;
  for (const key of Object.keys(attrs)) {
    if (key === 'id') continue;
    const attr = ns.attrs.get(key);
    if (attr) {
      const problem = checkValueType(attr, attrs[key]!);
      if (problem) issues.push(createIssue('wrong-type', formatPath(stepPath(step), [key]), problem));
    } else if (!ns.links.has(key)) {
      issues.push(
        createIssue(
          'unknown-attribute',
          formatPath(stepPath(step), [key]),
          `'${ns.name}' has no attribute '${key}'${suggest(key, ns.attrs.keys())}`,
        ),
      );
    }
  }
}

function checkRequired(step: RecordedStep, ns: NamespaceInfo, issues: ValidationIssue[]): void {
  const attrs = step[3] as JsonObject;
  for (const attr of ns.attrs.values()) {
    if (attr.required && !(attr.name in attrs)) {
      issues.push(
        createIssue(
          'missing-required',
          formatPath(stepPath(step), [attr.name]),
          `'${ns.name}.${attr.name}' is required on create`,
        ),
      );
    }
  }
}

function checkLinks(step: RecordedStep, ns: NamespaceInfo, schema: SchemaIndex, issues: ValidationIssue[]): void {
  const links = step[3] as RecordedLinks;
  for (const label of Object.keys(links)) {
    const link = ns.links.get(label);
    if (!link) {
      const known = [...ns.links.keys()].join(', ') || 'none';
      const at = formatPath(stepPath(step), [label]);
      issues.push(createIssue('unknown-link', at, `'${ns.name}' has no link '${label}' (known: ${known})`));
      continue;
    }
    const target = schema.namespaces.get(link.target);
    const value = links[label]!;
    if (!target) continue;
    // Only lookups are checked against the target namespace; their paths are built for those alone.
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const ref = value[index] as RecordedLinkTarget;
        if (isLookup(ref)) checkEntityRef(ref, target, `${formatPath(stepPath(step), [label])}[${index}]`, issues);
      }
    } else if (isLookup(value)) {
      checkEntityRef(value as RecordedLinkTarget, target, formatPath(stepPath(step), [label]), issues);
    }
  }
}

function suggest(name: string, known: Iterable<string>): string {
  const lower = name.toLowerCase();
  for (const candidate of known) if (candidate.toLowerCase() === lower) return ` (did you mean '${candidate}'?)`;
  return '';
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
