/**
 * What an Aurora PostgreSQL instance class gives, for thresholds that must fit it: memory, and the
 * default `max_connections`, `LEAST({DBInstanceClassMemory/9531392}, 5000)` (Aurora PostgreSQL's
 * parameter group default; the platform does not override it).
 */
export interface InstanceCapacity {
  readonly memoryBytes: number;
  readonly maxConnections: number;
}

const GIB = 1024 ** 3;

/** Memory (GiB) of the sizes of the memory-optimised (r) and burstable (t) Aurora families. */
const R_SIZES: Record<string, number> = {
  large: 16,
  xlarge: 32,
  '2xlarge': 64,
  '4xlarge': 128,
  '8xlarge': 256,
  '12xlarge': 384,
  '16xlarge': 512,
  '24xlarge': 768,
};
const T_SIZES: Record<string, number> = { medium: 4, large: 8 };
const FAMILIES: Record<string, Record<string, number>> = {
  r5: R_SIZES,
  r6g: R_SIZES,
  r6i: R_SIZES,
  r7g: R_SIZES,
  r7i: R_SIZES,
  r8g: R_SIZES,
  t3: T_SIZES,
  t4g: T_SIZES,
};

/**
 * The capacity of `instanceClass` (without `db.`, e.g. `r6g.large`). DBInstanceClassMemory is a
 * little below the nominal memory (the OS reserve), so the real `max_connections` is a few percent
 * below the one computed here; thresholds at 80 % of it stay below the real limit.
 */
export function instanceCapacity(instanceClass: string, field: string): InstanceCapacity {
  const [family, size] = instanceClass.split('.');
  const gib = FAMILIES[family]?.[size];
  if (gib === undefined) {
    const known = Object.entries(FAMILIES)
      .map(([f, sizes]) => `${f}.{${Object.keys(sizes).join(',')}}`)
      .join(' ');
    throw new Error(
      `${field}: instance class "${instanceClass}" has no known memory size, so the database ` +
        `alarms cannot derive their thresholds. Fix: use one of ${known}, or add the class to ` +
        `lib/constructs/data/instance-class.ts`,
    );
  }
  const memoryBytes = gib * GIB;
  return { memoryBytes, maxConnections: Math.min(Math.floor(memoryBytes / 9531392), 5000) };
}
