/** Reads the process' open-file limit (Node 20 has no process.getrlimit): Linux' /proc, else the shell's ulimit. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The soft limit on open files; Infinity when unlimited or unknown. */
export function readOpenFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft !== undefined) return soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    // not Linux: ask the shell
  }
  try {
    const soft = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 }).trim();
    return soft === 'unlimited' || !/^\d+$/.test(soft) ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}
