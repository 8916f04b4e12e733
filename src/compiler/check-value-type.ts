import type { AttrInfo } from '../schema/schema-index.ts';
import type { JsonValue } from '../protocol/json.ts';

/**
 * Why `value` does not fit the attribute's declared type, or `undefined` when it does. Dates arrive
 * here already as ISO strings (or epoch ms numbers); `json` accepts anything.
 *
 * @example
 * checkValueType({ valueType: 'number', required: false } as AttrInfo, 'x') // 'expected a number, got a string'
 */
export function checkValueType(attr: AttrInfo, value: JsonValue): string | undefined {
  if (value === null) return attr.required ? 'a required attribute cannot be null' : undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value;
  switch (attr.valueType) {
    case 'json':
      return undefined;
    case 'date':
      if (actual === 'number') return undefined;
      if (actual === 'string')
        return Number.isNaN(Date.parse(value as string)) ? 'expected a date, got an unparseable string' : undefined;
      return `expected a date (Date, ISO string or epoch ms), got ${article(actual)}`;
    default:
      return actual === attr.valueType ? undefined : `expected ${article(attr.valueType)}, got ${article(actual)}`;
  }
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}
