// Reads every suite's JSON report in dist/test-results and prints one line: "N passed, N failed".
// A suite that crashed before writing its report counts as one failure (its name is passed in argv).
// Failed tests are named (with their first error line) just above the totals: CI keeps only the run's tail.
import { existsSync, readFileSync } from 'node:fs';

const dir = 'dist/test-results';
let passed = 0;
let failed = 0;
const failures = [];

const firstLine = (text) =>
  String(text ?? '')
    // ANSI colour codes (ESC [ ... m) from the reporters.
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0) ?? '';

function playwrightFailures(suite, titles, out) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      if (test.status !== 'unexpected' && test.status !== 'flaky') continue;
      // A flaky test passed on its retry: named with its first failure, counted as passed.
      const failedRun = test.results?.find((r) => r.status !== 'passed' && r.status !== 'skipped');
      const prefix = test.status === 'flaky' ? 'flaky (passed on retry): ' : '';
      out.push(
        `${prefix}${spec.file}: ${[...titles, spec.title].join(' > ')}: ${firstLine(failedRun?.error?.message)}`,
      );
    }
  }
  for (const child of suite.suites ?? []) playwrightFailures(child, [...titles, child.title], out);
}

function jestFailures(report, out) {
  for (const file of report.testResults ?? []) {
    const name = String(file.name ?? file.testFilePath ?? '').replace(process.cwd() + '/', '');
    const tests = file.assertionResults ?? file.testResults ?? [];
    for (const t of tests) {
      if (t.status === 'failed') out.push(`${name}: ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`);
    }
    if (tests.every((t) => t.status !== 'failed') && (file.status === 'failed' || file.testExecError)) {
      out.push(`${name}: ${firstLine(file.message ?? file.failureMessage ?? file.testExecError?.message)}`);
    }
  }
}
for (const arg of process.argv.slice(2)) {
  const [name, exitCode] = arg.split('=');
  const file = `${dir}/${name}.json`;
  if (!existsSync(file)) {
    console.log(`${name}: no report (exit ${exitCode})`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let p = 0;
  let f = 0;
  if (report.stats && 'expected' in report.stats) {
    // Playwright JSON reporter.
    p = report.stats.expected + (report.stats.flaky ?? 0);
    f = report.stats.unexpected;
    for (const child of report.suites ?? []) playwrightFailures(child, [], failures);
  } else {
    // Jest and Vitest JSON reporters.
    p = report.numPassedTests ?? 0;
    f = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
    jestFailures(report, failures);
  }
  if (exitCode !== '0' && f === 0) f = 1;
  console.log(`${name}: ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}
if (failures.length > 0) {
  console.log('failed (and flaky) tests:');
  for (const line of failures) console.log(`  ${line.slice(0, 300)}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
