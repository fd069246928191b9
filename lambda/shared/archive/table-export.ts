import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import type { PoolClient } from 'pg';
import type { WrittenObject } from './multipart-sink';
import { S3UploadSink } from './multipart-sink';
import type { TenantTable } from './tenant-tables';
import { qualified, quoteIdent } from './tenant-tables';

/** Row alias; unusual so that no column of the same name shadows the whole-row reference. */
const ROW = 'archived_row__';

export interface TableExport extends WrittenObject {
  readonly table: string;
  readonly rows: number;
  /** Content digest of the rows (see `rowDigestOf`), checked again by the deleting transaction. */
  readonly rowsDigest: string;
}

/**
 * The 64-bit value a row adds to its table's digest: the first 8 bytes of the SHA-256 of its
 * `to_jsonb(row)::text`, as a signed big-endian integer. The digest is the sum over the rows
 * (order-independent, so PostgreSQL computes the same sum over `DELETE ... RETURNING`, see
 * `ROW_DIGEST_SQL`), in decimal.
 */
export function rowDigestTerm(line: string): bigint {
  return createHash('sha256').update(line, 'utf8').digest().readBigInt64BE(0);
}

/** The same digest in SQL over a column `line` of row texts; `'0'` for no rows. */
export const ROW_DIGEST_SQL = `coalesce(sum(('x' || encode(substring(sha256(convert_to(line, 'UTF8')) from 1 for 8), 'hex'))::bit(64)::bigint::numeric), 0)::text`;

export interface TableExportTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly fetchRows: number;
  readonly partSizeBytes: number;
}

/**
 * Streams one table's rows of the tenant (the transaction is already scoped by
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
): Promise<TableExport> {
  const order =
    table.primaryKey.length > 0
      ? table.primaryKey.map((column) => `${ROW}.${quoteIdent(column)}`).join(', ')
      : `to_jsonb(${ROW})::text COLLATE "C"`;
  const cursor = 'tenant_archive_export';
  await client.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
       SELECT to_jsonb(${ROW})::text AS line FROM ${qualified(schema, table.name)} ${ROW}
        WHERE ${ROW}.tenant_id = $1 ORDER BY ${order}`,
    [tenantId],
  );
  let rows = 0;
  let digest = 0n;
  async function* jsonLines(): AsyncGenerator<Buffer> {
    for (;;) {
      const batch = await client.query<{ line: string }>(
        `FETCH FORWARD ${target.fetchRows} FROM ${cursor}`,
      );
      if (batch.rows.length === 0) return;
      rows += batch.rows.length;
      let text = '';
      for (const row of batch.rows) {
        text += `${row.line}\n`;
        digest += rowDigestTerm(row.line);
      }
      yield Buffer.from(text, 'utf8');
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
  return { table: table.name, rows, rowsDigest: digest.toString(), ...sink.result() };
}
