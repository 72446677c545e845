// Reads every suite's JSON report in dist/test-results and prints one line: "N passed, N failed".
// A suite that crashed before writing its report counts as one failure (its name is passed in argv).
import { existsSync, readFileSync } from 'node:fs';

const dir = 'dist/test-results';
let passed = 0;
let failed = 0;
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
  } else {
    // Jest and Vitest JSON reporters.
    p = report.numPassedTests ?? 0;
    f = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  }
  if (exitCode !== '0' && f === 0) f = 1;
  console.log(`${name}: ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
