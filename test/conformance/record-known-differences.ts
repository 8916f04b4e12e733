/**
 * Rewrites known-differences.json from a conformance run made with CONFORMANCE_RECORD=1 (every case a
 * plain test) and vitest's JSON reporter: the failing cases are the differences. Run it through
 * `npm run conformance:record`, never by hand-editing the list.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface JsonReport {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

const [reportPath] = process.argv.slice(2);
if (!reportPath) throw new Error('usage: record-known-differences.ts <vitest-json-report>');
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
const failing = report.testResults
  .flatMap((file) => file.assertionResults)
  .filter((result) => result.status === 'failed')
  .map((result) => [...result.ancestorTitles, result.title].join(' > '))
  .sort();
const target = new URL('known-differences.json', import.meta.url);
writeFileSync(target, `${JSON.stringify([...new Set(failing)], null, 2)}\n`);
console.log(`${failing.length} known differences recorded in test/conformance/known-differences.json`);
