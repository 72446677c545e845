// Prints where a .cpuprofile spent its time: self time per function and per package/file.
// Usage: node bench/tools/hot-spots.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/tools/hot-spots.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map();
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (deltas[i] ?? 0));
}
let total = 0;
for (const value of selfMicros.values()) total += value;

const place = (frame) => {
  const url = frame.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes('/dist/apps/api/')) return 'tiny-chat (dist/apps/api)';
  if (url.startsWith('node:')) return url;
  return url || `(${frame.functionName || 'native'})`;
};
const functions = new Map();
const places = new Map();
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
for (const [id, micros] of selfMicros) {
  const frame = byId.get(id).callFrame;
  const key = `${frame.functionName || '(anonymous)'}  ${place(frame)}:${frame.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + micros);
  places.set(place(frame), (places.get(place(frame)) ?? 0) + micros);
}
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
};
// Inclusive time of tiny-chat's own functions (what a change in apps/api can save).
const inclusive = new Map();
const totalOf = (node) => {
  let sum = selfMicros.get(node.id) ?? 0;
  for (const child of node.children ?? []) sum += totalOf(byId.get(child));
  node.total = sum;
  return sum;
};
totalOf(profile.nodes[0]);
for (const node of profile.nodes) {
  if (place(node.callFrame) !== 'tiny-chat (dist/apps/api)') continue;
  // Count a function once per stack: skip nodes whose ancestor is the same function.
  let ancestor = parents.get(node.id);
  let nested = false;
  while (ancestor !== undefined) {
    const frame = byId.get(ancestor).callFrame;
    if (frame.functionName === node.callFrame.functionName && frame.lineNumber === node.callFrame.lineNumber)
      nested = true;
    ancestor = parents.get(ancestor);
  }
  if (nested) continue;
  const key = `${node.callFrame.functionName || '(anonymous)'}  main.js:${node.callFrame.lineNumber + 1}`;
  inclusive.set(key, (inclusive.get(key) ?? 0) + node.total);
}
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time by package or file', places);
print('self time by function', functions);
if (inclusive.size) print('inclusive time of tiny-chat functions', inclusive);
