#!/usr/bin/env node
// Fails CI when the dialect loop did not run on both databases, or when any test failed or was skipped silently.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
const report = JSON.parse(readFileSync(file, 'utf8'));
const counts = { sqlite: 0, postgres: 0 };
let failed = 0;
let passed = 0;
for (const suite of report.testResults ?? []) {
  for (const test of suite.assertionResults ?? []) {
    const name = [...(test.ancestorTitles ?? []), test.title].join(' ');
    if (test.status === 'passed') {
      passed++;
      for (const dialect of Object.keys(counts)) if (name.includes(`[${dialect}]`)) counts[dialect]++;
    } else if (test.status === 'failed') failed++;
  }
}
console.log(`dialect check: ${counts.sqlite} sqlite tests and ${counts.postgres} postgres tests passed (${passed} passed, ${failed} failed in all)`);
if (failed > 0 || report.success === false) {
  console.error('dialect check: the suite has failures');
  process.exit(1);
}
for (const [dialect, n] of Object.entries(counts)) {
  if (n === 0) {
    console.error(`dialect check: no ${dialect} test ran — the ${dialect} suite must run in CI`);
    process.exit(1);
  }
}
