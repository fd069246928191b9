const CONTROL_PREFIX = /^\s*\[(A\.\d+\.\d+)\]/;

/** The Annex A control a finding description starts with (`[A.8.13] ...`), if any. */
export function controlOf(description: string): string | undefined {
  return CONTROL_PREFIX.exec(description)?.[1];
}

/** Orders `A.5.15` before `A.8.5` before `A.8.13`. */
export function compareControlIds(a: string, b: string): number {
  const pa = a.replace(/^A\./, '').split('.').map(Number);
  const pb = b.replace(/^A\./, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.localeCompare(b);
}
