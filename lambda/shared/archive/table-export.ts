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
}

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
  async function* jsonLines(): AsyncGenerator<Buffer> {
    for (;;) {
      const batch = await client.query<{ line: string }>(
        `FETCH FORWARD ${target.fetchRows} FROM ${cursor}`,
      );
      if (batch.rows.length === 0) return;
      rows += batch.rows.length;
      let text = '';
      for (const row of batch.rows) text += `${row.line}\n`;
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
  return { table: table.name, rows, ...sink.result() };
}
