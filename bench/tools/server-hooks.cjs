// Preloaded (node -r) into every server the bench starts, the same for all: measurement hooks, no behaviour change.
// SIGWINCH (a signal Nest's shutdown hooks leave alone): a full GC (servers run with --expose-gc), then
// "BENCH_GC_DONE <memoryUsage>" on stdout, so that memory per idle member can be read without the join phase's garbage.
// SIGINT: exit through process.exit, so --cpu-prof writes its file.
// The server also ends by itself when the bench that started it is gone (even after a SIGKILL of the bench).
process.on('SIGWINCH', () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stdout.write(`BENCH_GC_DONE ${JSON.stringify({ rss, heapUsed, external })}\n`);
});
process.on('SIGINT', () => process.exit(0));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
