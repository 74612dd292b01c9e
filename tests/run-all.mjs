#!/usr/bin/env node
// `npm test`: typecheck, lint, web-ext lint of the Firefox store build, unit tests, the e2e
// build, end-to-end tests in Chromium and Firefox; every stage runs even when an earlier one
// failed, and the run ends with one table and a total pass/fail count. Exit code 0 only when
// everything passed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const reports = join(process.cwd(), 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const stages = [
  { name: 'typecheck', cmd: [npx, 'tsc', '--noEmit'] },
  { name: 'lint', cmd: [npx, 'eslint', '.'] },
  // web-ext lint on the Firefox store build (rebuilt when stale); any error fails the stage.
  { name: 'Firefox store lint (web-ext)', cmd: ['npm', 'run', '--silent', 'lint:firefox'], lint: 'lint-firefox.json' },
  {
    name: 'unit tests',
    cmd: [npx, 'vitest', 'run', '--config', 'vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'unit.json')}`],
    report: 'unit.json',
  },
  { name: 'e2e build (Chrome + Firefox)', cmd: ['npm', 'run', '--silent', 'build:e2e'] },
  {
    name: 'end-to-end tests',
    cmd: [npx, 'vitest', 'run', '--config', 'tests/e2e/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'e2e.json')}`],
    report: 'e2e.json',
  },
];

const results = [];
for (const stage of stages) {
  const started = Date.now();
  console.log(`\n━━ ${stage.name} ━━`);
  const run = spawnSync(stage.cmd[0], stage.cmd.slice(1), { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '1' } });
  const result = { name: stage.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 };
  if (stage.report && existsSync(join(reports, stage.report))) {
    const json = JSON.parse(readFileSync(join(reports, stage.report), 'utf8'));
    result.passed = json.numPassedTests;
    result.failed = json.numFailedTests;
    result.skipped = json.numPendingTests + json.numTodoTests;
    result.failures = failuresIn(json);
  }
  if (stage.lint && existsSync(join(reports, stage.lint))) {
    const summary = JSON.parse(readFileSync(join(reports, stage.lint), 'utf8'));
    result.note = `${summary.errors} errors, ${summary.warnings} warnings`;
  }
  results.push(result);
}

function failuresIn(json) {
  const failures = [];
  for (const file of json.testResults ?? []) {
    const relative = String(file.name ?? '').replace(`${process.cwd()}/`, '');
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      const message = String(test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      failures.push(`${relative} › ${test.fullName}: ${message}`);
    }
    // A file that failed to load has no test results, only a message.
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') {
      failures.push(`${relative}: ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`);
    }
  }
  return failures;
}

const pad = (value, width) => String(value).padEnd(width);
console.log('\n━━ Summary ━━');
let passed = 0;
let failed = 0;
for (const result of results) {
  const counts = result.passed === undefined ? (result.note ?? (result.ok ? 'ok' : 'FAILED')) : `${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}`;
  console.log(`${result.ok ? '✔' : '✘'} ${pad(result.name, 32)} ${pad(counts, 34)} ${result.seconds.toFixed(1)} s`);
  if (result.passed === undefined) {
    if (result.ok) passed += 1;
    else failed += 1;
  } else {
    passed += result.passed;
    // A stage can fail with no failed test (a file that does not load): count it once.
    failed += result.failed || (result.ok ? 0 : 1);
  }
}
// The failed tests again, by name and first line of their error, so the end of the log says
// which test failed without scrolling back through the stage's output.
for (const result of results) {
  for (const failure of result.failures ?? []) console.log(`✘ ${result.name}: ${failure}`);
}
const ok = results.every((result) => result.ok);
console.log(`\n${ok ? 'PASS' : 'FAIL'}: ${passed} passed, ${failed} failed (checks + tests)`);
process.exit(ok ? 0 : 1);
