import { hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import type { PoolClient } from 'pg';
import type { WrittenObject } from './multipart-sink';
import { S3UploadSink } from './multipart-sink';
import type { ChunkRange } from './table-chunks';
import { chunkCondition, ROW, WHOLE_TABLE } from './table-chunks';
import type { TenantTable } from './tenant-tables';
import { qualified, quoteIdent } from './tenant-tables';

/** One exported chunk of a table (the whole table when it is in one chunk). */
export interface TableExport extends WrittenObject {
  readonly table: string;
  readonly rows: number;
  /** Content digest of the rows (see `rowDigestOf`), checked again by the deleting transaction. */
  readonly rowsDigest: string;
  /** Which chunk of the table this is; absent for a table in one chunk. */
  readonly chunk?: ChunkRange;
}

/**
 * The 64-bit value a row adds to its table's digest: the first 8 bytes of the SHA-256 of its
 * `to_jsonb(row)::text`, as a signed big-endian integer. The digest is the sum over the rows
 * (order-independent, so PostgreSQL computes the same sum over `DELETE ... RETURNING`, see
 * `rowDigestTermSql` and `ROW_DIGEST_SUM_SQL`), in decimal.
 */
export function rowDigestTerm(line: string): bigint {
  // One-shot hash: about twice as fast per row as createHash().update().digest().
  return hash('sha256', line, 'buffer').readBigInt64BE(0);
}

/** The term `rowDigestTerm` in SQL, of a text expression (e.g. `to_jsonb(row)::text`): a bigint. */
export function rowDigestTermSql(text: string): string {
  return `('x' || encode(substring(sha256(convert_to(${text}, 'UTF8')) from 1 for 8), 'hex'))::bit(64)::bigint`;
}

/**
 * The digest in SQL, the sum of a bigint column `term` of `rowDigestTermSql` values, as decimal
 * text; `'0'` for no rows. `sum(bigint)` is exact (a numeric result, accumulated in 128 bits).
 */
export const ROW_DIGEST_SUM_SQL = `coalesce(sum(term), 0)::text`;

export interface TableExportTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly fetchRows: number;
  readonly partSizeBytes: number;
}

/**
 * The export query of one chunk of a table, `$1` the tenant id and the chunk's bounds next: each
 * row as `to_jsonb(row)::text`, in primary key order (the cursor's fast-start plan reads it from
 * the primary key index, the bounds as its range, no sort).
 */
export function exportSelect(
  schema: string,
  table: TenantTable,
  range: ChunkRange = WHOLE_TABLE,
): { text: string; params: string[] } {
  const order =
    table.primaryKey.length > 0
      ? table.primaryKey.map((column) => `${ROW}.${quoteIdent(column)}`).join(', ')
      : `to_jsonb(${ROW})::text COLLATE "C"`;
  const bounds = chunkCondition(schema, table, range, 2);
  return {
    text: `SELECT to_jsonb(${ROW})::text AS line FROM ${qualified(schema, table.name)} ${ROW}
        WHERE ${ROW}.tenant_id = $1${bounds.sql} ORDER BY ${order}`,
    params: bounds.params,
  };
}

/**
 * Streams one chunk of a table's rows of the tenant (the transaction is already scoped by
 * `app.tenant_id`) through a server-side cursor, as JSON Lines (`to_jsonb`, which never
 * contains a raw newline), gzip and a multipart upload. Rows come in primary key order, so the
 * same rows always give the same bytes (gzip is deterministic: no timestamp in its header).
 */
export async function exportTable(
  client: PoolClient,
  schema: string,
  table: TenantTable,
  tenantId: string,
  target: TableExportTarget,
  range: ChunkRange = WHOLE_TABLE,
): Promise<TableExport> {
  const cursor = 'tenant_archive_export';
  const select = exportSelect(schema, table, range);
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select.text}`, [
    tenantId,
    ...select.params,
  ]);
  let rows = 0;
  let digest = 0n;
  const fetch = () =>
    client.query<[string]>({
      text: `FETCH FORWARD ${target.fetchRows} FROM ${cursor}`,
      rowMode: 'array',
    });
  async function* jsonLines(): AsyncGenerator<Buffer> {
    // One batch ahead: the server renders the next rows while this one is hashed and compressed.
    let next = fetch();
    try {
      for (;;) {
        const batch = await next;
        if (batch.rows.length === 0) return;
        next = fetch();
        rows += batch.rows.length;
        let text = '';
        for (const [line] of batch.rows) {
          text += `${line}\n`;
          digest += rowDigestTerm(line);
        }
        yield Buffer.from(text, 'utf8');
      }
    } finally {
      // A failed upload leaves the prefetch pending: let it settle (the caller rolls back).
      await next.catch(() => undefined);
    }
  }
  const sink = new S3UploadSink(
    target.s3,
    target.bucket,
    target.key,
    target.partSizeBytes,
    'application/gzip',
  );
  await pipeline(Readable.from(jsonLines()), createGzip({ level: 6 }), sink);
  await client.query(`CLOSE ${cursor}`);
  return {
    table: table.name,
    rows,
    rowsDigest: digest.toString(),
    ...sink.result(),
    ...(range.count > 1 ? { chunk: range } : {}),
  };
}
