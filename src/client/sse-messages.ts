import type { PageInfo } from './subscription-types.ts';

/**
 * Instant's `page-info` (kebab keys) in the official SDK's camel-case shape; labels become own keys
 * (`Object.fromEntries`), so a label such as `__proto__` cannot reach a prototype.
 *
 * @example
 * formatPageInfo({ goals: { 'has-next-page?': true } }) // { goals: { startCursor: undefined, endCursor: undefined, hasNextPage: true, hasPreviousPage: false } }
 */
export function formatPageInfo(pageInfo: unknown): Readonly<Record<string, PageInfo>> | undefined {
  if (typeof pageInfo !== 'object' || pageInfo === null) return undefined;
  return Object.fromEntries(
    Object.entries(pageInfo as Record<string, Record<string, unknown> | null>).map(([label, info]) => [
      label,
      {
        startCursor: info?.['start-cursor'],
        endCursor: info?.['end-cursor'],
        hasNextPage: info?.['has-next-page?'] === true,
        hasPreviousPage: info?.['has-previous-page?'] === true,
      },
    ]),
  );
}
