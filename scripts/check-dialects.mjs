#!/usr/bin/env node
// Fails CI when the dialect loop did not run on both databases, when any test failed, or when any test did not run:
// skipped, todo, pending or disabled tests are counted and named, since a skipped security test proves nothing.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
const report = JSON.parse(readFileSync(file, 'utf8'));
const counts = { sqlite: 0, postgres: 0 };
const notRun = [];
let failed = 0;
let passed = 0;
for (const suite of report.testResults ?? []) {
  // A file that failed to load has no assertion results at all, only its own status and message.
  if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed++;
  for (const test of suite.assertionResults ?? []) {
    const name = [...(test.ancestorTitles ?? []), test.title].join(' ');
    if (test.status === 'passed') {
      passed++;
      for (const dialect of Object.keys(counts)) if (name.includes(`[${dialect}]`)) counts[dialect]++;
    } else if (test.status === 'failed') failed++;
    else notRun.push(`${test.status}: ${suite.name.replace(`${process.cwd()}/`, '')} > ${name}`);
  }
}
console.log(
  `dialect check: ${counts.sqlite} sqlite tests and ${counts.postgres} postgres tests passed ` +
    `(${passed} passed, ${failed} failed, ${notRun.length} not run in all)`,
);
if (failed > 0 || report.success === false) {
  console.error('dialect check: the suite has failures');
  process.exit(1);
}
if (notRun.length > 0 || (report.numPendingTests ?? 0) > 0 || (report.numTodoTests ?? 0) > 0) {
  console.error(`dialect check: ${notRun.length || report.numPendingTests + report.numTodoTests} tests did not run:`);
  for (const line of notRun) console.error(`  ${line}`);
  process.exit(1);
}
for (const [dialect, n] of Object.entries(counts)) {
  if (n === 0) {
    console.error(`dialect check: no ${dialect} test ran — the ${dialect} suite must run in CI`);
    process.exit(1);
  }
}
