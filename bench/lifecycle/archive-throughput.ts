import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { S3Client } from '@aws-sdk/client-s3';
import { Pool } from 'pg';
import type { ArchiveDeps } from '../../lambda/shared/archive';
import { archiveTenant, readManifest } from '../../lambda/shared/archive';
import {
  applyLogisticsSchema,
  createWorkerRole,
  seedTenant,
  WORKER_ROLE,
} from '../../test/lambda/shared/archive/fixtures/logistics-schema';
import type { Buckets } from '../../test/lambda/shared/archive/fixtures/world';
import {
  createBuckets,
  PRIMARY_REGION,
  REPLICA_REGION,
  seedFiles,
} from '../../test/lambda/shared/archive/fixtures/world';
import { startMoto } from '../../test/support/moto';
import { startPostgres } from '../../test/support/postgres';

/**
 * Benchmark (b) of issue 6: archive throughput and memory for one tenant as its row count grows
 * (250k, 500k, 1M rows across shipments, parcels, proof of delivery and invoices), on the
 * embedded PostgreSQL and moto. Each archive runs in a fresh child process so that its peak RSS
 * is its own (RSS never shrinks back within one process). The timed run is the whole
 * `archiveTenant`: streamed export, file copy, manifest, lock, full re-read verification, row and
 * file deletion. Per phase: export (the cursor, the row digest, gzip and the multipart upload,
 * streamed together), copy (files), manifest and lock, verify (the archive re-read from S3),
 * delete rows (the live counts, then per table the deleting statement with its digest check and
 * the schema's foreign key checks), delete files. The 1-minute load average before and after each
 * run is printed: on a shared machine the figures are only comparable at a similar load.
 * `ARCHIVE_BENCH_SIZES=250000,1000000` runs other sizes. It prints figures; it asserts nothing.
 */
const SIZES = (process.env.ARCHIVE_BENCH_SIZES ?? '250000,500000,1000000').split(',').map(Number);
/** `ARCHIVE_BENCH_CONNECTIONS=1,2` runs each size once per value (an A/B on the same data). */
const CONNECTIONS = (process.env.ARCHIVE_BENCH_CONNECTIONS ?? '2').split(',').map(Number);
const CHUNK_ROWS = process.env.ARCHIVE_BENCH_CHUNK_ROWS
  ? Number(process.env.ARCHIVE_BENCH_CHUNK_ROWS)
  : undefined;
const CHILD_FLAG = '--archive-throughput-child';

interface ChildInput {
  readonly connectionString: string;
  readonly endpoint: string;
  readonly buckets: Buckets;
  readonly tenantId: string;
  readonly connections: number;
}

interface ChildReport {
  readonly rows: number;
  readonly seconds: number;
  readonly phases: Record<string, number>;
  readonly baselineRssMiB: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  readonly archiveMiB: number;
}

const MiB = 1024 * 1024;

/** Runs one archive in this process, sampling memory every 20 ms. */
async function archiveOnce(input: ChildInput): Promise<ChildReport> {
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  const client = (region: string) =>
    new S3Client({ endpoint: input.endpoint, region, forcePathStyle: true, credentials });
  const pool = new Pool({ connectionString: input.connectionString, max: input.connections });
  const marks: [string, number][] = [];
  const deps: ArchiveDeps = {
    db: pool,
    s3: client(PRIMARY_REGION),
    replicaS3: client(REPLICA_REGION),
    filesBucket: input.buckets.files,
    filesReplicaBucket: input.buckets.replica,
    archiveBucket: input.buckets.archive,
    logger: { info: () => undefined, warn: console.warn, error: console.error },
    clock: () => new Date(),
    faults: (step) => void marks.push([step, performance.now()]),
    tuning: {
      partSizeBytes: 5 * MiB, // the S3 minimum, so that multipart is exercised
      connections: input.connections,
      ...(CHUNK_ROWS ? { chunkRows: CHUNK_ROWS } : {}),
    },
  };
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  try {
    const t0 = performance.now();
    const result = await archiveTenant(deps, {
      tenantId: input.tenantId,
      archiveId: 'bench-1',
      retainUntil: new Date(Date.now() + 3600 * 1000),
    });
    const end = performance.now();
    const last = (prefix: string) =>
      marks.filter(([step]) => step.startsWith(prefix)).at(-1)?.[1] ?? NaN;
    const stored = await readManifest(deps.s3, deps.archiveBucket, input.tenantId, 'bench-1');
    const seconds = (from: number, to: number) => (to - from) / 1000;
    return {
      rows: Object.values(result.rowCounts).reduce((a, b) => a + b, 0),
      seconds: seconds(t0, end),
      phases: {
        export: seconds(t0, last('export:')),
        copy: seconds(last('export:'), last('copy:done')),
        manifestAndLock: seconds(last('copy:done'), last('lock')),
        verify: seconds(last('lock'), last('verify')),
        deleteRows: seconds(last('verify'), last('delete-rows:')),
        deleteFiles: seconds(last('delete-rows:'), last('delete-files:replica')),
      },
      baselineRssMiB: baseline.rss / MiB,
      peakRssMiB: peakRss / MiB,
      peakHeapMiB: peakHeap / MiB,
      archiveMiB: (stored?.manifest.tables ?? []).reduce((sum, t) => sum + t.bytes, 0) / MiB,
    };
  } finally {
    clearInterval(sampler);
    deps.s3.destroy();
    deps.replicaS3.destroy();
    await pool.end();
  }
}

/** Runs `archiveOnce` in a child process (same loader flags, e.g. tsx) and returns its report. */
function archiveInChild(input: ChildInput): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, CHILD_FLAG], {
      env: { ...process.env, ARCHIVE_BENCH_INPUT: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(line) as ChildReport);
      else reject(new Error(`archive benchmark child exited with ${code}:\n${out}`));
    });
  });
}

/**
 * Busy CPU seconds of the whole machine so far (/proc/stat, every core, every process: the
 * archive's PostgreSQL backends, moto and the worker, and whatever else runs), or NaN elsewhere.
 */
function machineBusySeconds(): number {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
    );
  } catch {
    return NaN;
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(8);

export async function runArchiveThroughputBench(): Promise<void> {
  console.log('\n(b) archive throughput: one tenant, rows across 4 tenant tables, streamed');
  const [pg, moto] = await Promise.all([startPostgres(), startMoto()]);
  const primary = new S3Client(moto.clientConfig(PRIMARY_REGION));
  const replica = new S3Client(moto.clientConfig(REPLICA_REGION));
  try {
    await pg.createDatabase('bench');
    const admin = await pg.client('bench');
    await createWorkerRole(admin);
    await applyLogisticsSchema(admin);
    const buckets = await createBuckets({ primary, replica });
    const reports: ChildReport[] = [];
    let runs = 0;
    for (const rows of SIZES) {
      for (const connections of CONNECTIONS) {
        const tenantId = `bench-${rows}-${++runs}`;
        const t0 = performance.now();
        await seedTenant(admin, tenantId, rows / 5);
        await admin.query('ANALYZE');
        await seedFiles({ primary, replica }, buckets, tenantId);
        const seedSeconds = (performance.now() - t0) / 1000;
        const loadBefore = loadavg()[0]!;
        const busyBefore = machineBusySeconds();
        const report = await archiveInChild({
          connectionString: `postgres://${WORKER_ROLE}@127.0.0.1:${pg.port}/bench`,
          endpoint: moto.endpoint,
          buckets,
          tenantId,
          connections,
        });
        const busy = machineBusySeconds() - busyBefore;
        reports.push(report);
        const p = report.phases;
        console.log(
          `  ${String(report.rows).padStart(9)} rows, ${connections} conn: ${fmt(report.seconds)} s total, ` +
            `${fmt(report.rows / report.seconds, 0)} rows/s overall, ` +
            `${fmt(report.rows / (p.export ?? NaN), 0)} rows/s export, ` +
            `${fmt(report.rows / (p.deleteRows ?? NaN), 0)} rows/s delete | ` +
            `peak RSS ${fmt(report.peakRssMiB)} MiB (baseline ${fmt(report.baselineRssMiB)}), ` +
            `peak heap ${fmt(report.peakHeapMiB)} MiB | archive ${fmt(report.archiveMiB)} MiB gzip`,
        );
        console.log(
          `             phases (s): export ${p.export?.toFixed(1)}, copy ${p.copy?.toFixed(1)}, ` +
            `manifest+lock ` +
            `${p.manifestAndLock?.toFixed(1)}, verify ${p.verify?.toFixed(1)}, delete rows ` +
            `${p.deleteRows?.toFixed(1)}, delete files ${p.deleteFiles?.toFixed(1)} ` +
            `(seeding took ${seedSeconds.toFixed(1)} s, not counted) | ` +
            `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after ` +
            `(2 cores shared with other work)`,
        );
        console.log(
          `             machine CPU during the run: ${busy.toFixed(1)} s busy of ` +
            `${(report.seconds * cpus().length).toFixed(1)} s available on ${cpus().length} cores ` +
            `(${((100 * busy) / (report.seconds * cpus().length)).toFixed(0)}%), ` +
            `${((1e6 * busy) / report.rows).toFixed(1)} µs of CPU per row`,
        );
      }
    }
    const first = reports[0]!;
    const last = reports.at(-1)!;
    console.log(
      `  rows x${(last.rows / first.rows).toFixed(1)} -> peak RSS x${(last.peakRssMiB / first.peakRssMiB).toFixed(2)}, ` +
        `RSS growth over baseline x${((last.peakRssMiB - last.baselineRssMiB) / (first.peakRssMiB - first.baselineRssMiB)).toFixed(2)}, ` +
        `peak heap x${(last.peakHeapMiB / first.peakHeapMiB).toFixed(2)}`,
    );
    await admin.end();
  } finally {
    primary.destroy();
    replica.destroy();
    await Promise.all([pg.stop(), moto.stop()]);
  }
}

if (require.main === module) {
  if (process.argv.includes(CHILD_FLAG)) {
    const input = JSON.parse(process.env.ARCHIVE_BENCH_INPUT ?? '{}') as ChildInput;
    archiveOnce(input).then(
      (report) => console.log(JSON.stringify(report)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  } else {
    runArchiveThroughputBench().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
}
