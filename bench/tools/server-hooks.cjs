// Preloaded (node -r) into every server the bench starts, the same for all: measurement hooks, no behaviour change.
// SIGWINCH (a signal Nest's shutdown hooks leave alone): a full, compacting GC (servers run with --expose-gc), then
// "BENCH_GC_DONE <memoryUsage>" on stdout, so that memory per idle member can be read without the join phase's garbage
// and without the half-empty heap pages it leaves behind (V8's memory reducer compacts them too once a server is idle,
// but only after some tens of seconds, and not at a predictable moment).
// SIGUSR2: "BENCH_GC_STATS <counts and pause totals>" on stdout: the garbage collections so far by kind, from
// perf_hooks' gc entries (full = mark-compact, young = scavenge), so the bench can say how many fell in a window.
// SIGINT: exit through process.exit, so --cpu-prof writes its file.
// The server also ends by itself when the bench that started it is gone (even after a SIGKILL of the bench).
const v8 = require('node:v8');
process.on('SIGWINCH', () => {
  if (typeof globalThis.gc === 'function') {
    v8.setFlagsFromString('--compact-on-every-full-gc');
    globalThis.gc();
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`BENCH_GC_DONE ${JSON.stringify({ rss, heapTotal, heapUsed, external, arrayBuffers })}\n`);
});
const { PerformanceObserver, constants } = require('node:perf_hooks');
const gcStats = { major: 0, majorMs: 0, minor: 0, minorMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      gcStats.major++;
      gcStats.majorMs += entry.duration;
    } else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gcStats.minor++;
      gcStats.minorMs += entry.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () => process.stdout.write(`BENCH_GC_STATS ${JSON.stringify(gcStats)}\n`));
process.on('SIGINT', () => process.exit(0));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
