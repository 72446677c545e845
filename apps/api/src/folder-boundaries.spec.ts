/** The folder tree tells the architecture: no two feature folders import each other, observability imports no feature. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.contract.ts') ? [path] : [];
  });
}

/** The top-level folder of a path under src ('' for files at the top: main, bootstrap, app.module). */
const folderOf = (path: string) => (relative(SRC, path).includes(sep) ? relative(SRC, path).split(sep)[0]! : '');

/** folder -> the other folders its files import from. */
function folderImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = folderOf(resolve(file, '..', spec!));
      if (to !== from) targets.add(to);
    }
  }
  return graph;
}

function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  for (const [a, targets] of graph)
    for (const b of targets) if (graph.get(b)?.has(a) && a < b) found.push(`${a} <-> ${b}`);
  const reach = (start: string, goal: string, seen = new Set<string>()): boolean =>
    [...(graph.get(start) ?? [])].some(
      (next) => next === goal || (!seen.has(next) && (seen.add(next), reach(next, goal, seen))),
    );
  for (const a of graph.keys())
    if (a !== '' && reach(a, a) && !found.some((c) => c.includes(a))) found.push(`${a} is in a cycle`);
  return found;
}

describe('folder boundaries of apps/api/src', () => {
  const graph = folderImports();

  it('has no import cycle between folders', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('lets observability import no feature, only configuration', () => {
    expect([...(graph.get('observability') ?? [])].sort()).toEqual(['config']);
  });

  it('keeps the fast paths free of features: they know only configuration and the write coalescing they hook', () => {
    expect([...(graph.get('transport') ?? [])].sort()).toEqual(['common', 'config']);
  });
});
