import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies } from 'semver';

/**
 * npm audit cannot reach its advisory service from these machines, so the packages that parse untrusted input
 * are checked against a table of known-vulnerable ranges kept in the repository (security/vulnerable-ranges.json).
 */
const root = join(__dirname, '../../..');
const table = JSON.parse(readFileSync(join(root, 'security/vulnerable-ranges.json'), 'utf8')) as {
  ranges: Record<string, Record<string, string>>;
};

/** Every installed copy of the named packages, nested ones included (type-only @types packages are skipped). */
function installedCopies(names: Set<string>): Array<{ name: string; version: string; path: string }> {
  const found: Array<{ name: string; version: string; path: string }> = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 10) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '@types' || entry.name === '.bin') continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        walk(path, depth);
        continue;
      }
      if (names.has(entry.name) && existsSync(join(path, 'package.json'))) {
        const { version } = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { version: string };
        found.push({ name: entry.name, version, path });
      }
      const nested = join(path, 'node_modules');
      if (existsSync(nested)) walk(nested, depth + 1);
    }
  };
  walk(join(root, 'node_modules'), 0);
  return found;
}

describe('dependencies that parse untrusted input', () => {
  const copies = installedCopies(new Set(Object.keys(table.ranges)));

  it('finds the runtime parsers it is meant to check', () => {
    const names = new Set(copies.map((c) => c.name));
    for (const name of [
      'ws',
      'engine.io',
      'socket.io-parser',
      'socket.io',
      'body-parser',
      'express',
      'path-to-regexp',
      'qs',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('has no installed copy inside a known-vulnerable range', () => {
    const vulnerable = copies.flatMap((copy) =>
      Object.entries(table.ranges[copy.name] ?? {})
        .filter(([range]) => satisfies(copy.version, range))
        .map(([, advisory]) => `${copy.name}@${copy.version} (${copy.path}): ${advisory}`),
    );
    expect(vulnerable).toEqual([]);
  });

  it('recognises a vulnerable version (the table is not vacuous)', () => {
    expect(Object.keys(table.ranges.ws ?? {}).some((range) => satisfies('8.17.0', range))).toBe(true);
    expect(Object.keys(table.ranges['socket.io-parser'] ?? {}).some((range) => satisfies('4.2.2', range))).toBe(true);
  });
});
