/** Reads /api/metrics like Prometheus would: the value of one series, by name and labels. */

export async function scrape(url: string, token?: string): Promise<string> {
  const response = await fetch(`${url}/api/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (response.status !== 200) throw new Error(`metrics answered ${response.status}`);
  return response.text();
}

/** The value of the series `name` whose labels include `labels`; undefined when there is none. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[pair[1] ?? ''] = pair[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** Like sample, but a missing series counts as 0 (a labelled counter appears at its first increment). */
export const count = (text: string, name: string, labels: Record<string, string> = {}) =>
  sample(text, name, labels) ?? 0;
