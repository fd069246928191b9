import type { Queryable } from '../db/database';
import type { DocumentKind } from '../tenants/tenant-settings';

/** One document as the table holds it (table `app.documents`, `migrations/001_documents.sql`). */
export interface DocumentRow {
  readonly documentId: string;
  readonly kind: DocumentKind;
  readonly contentType: string;
  readonly maxBytes: number;
  readonly fileName?: string;
  readonly objectKey: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

const COLUMNS = `document_id AS "documentId", kind, content_type AS "contentType",
  max_bytes AS "maxBytes", file_name AS "fileName", object_key AS "objectKey",
  created_by AS "createdBy", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

function rowOf(row: Record<string, unknown>): DocumentRow {
  const { fileName, ...rest } = row;
  return (fileName === null ? rest : { ...rest, fileName }) as unknown as DocumentRow;
}

/**
 * The documents of the transaction's tenant. Every statement runs as a tenant, on
 * `asTenant(pool, tenantId)` (one round trip per statement) or on the client of `withTenant`: the
 * rows are the tenant's by row-level security, and `tenant_id` is written from the same setting,
 * so no statement here names a tenant itself.
 */
export const documentsTable = {
  async insert(db: Queryable, row: Omit<DocumentRow, 'createdAt'>): Promise<DocumentRow> {
    const { rows } = await db.query(
      `INSERT INTO app.documents
         (tenant_id, document_id, kind, content_type, max_bytes, file_name, object_key, created_by)
       VALUES (current_setting('app.tenant_id'), $1, $2, $3, $4, $5, $6, $7)
       RETURNING ${COLUMNS}`,
      [
        row.documentId,
        row.kind,
        row.contentType,
        row.maxBytes,
        row.fileName ?? null,
        row.objectKey,
        row.createdBy,
      ],
    );
    return rowOf(rows[0]);
  },

  /** Newest first, at most `limit`. */
  async list(db: Queryable, limit: number): Promise<DocumentRow[]> {
    const { rows } = await db.query(
      `SELECT ${COLUMNS} FROM app.documents ORDER BY created_at DESC, document_id LIMIT $1`,
      [limit],
    );
    return rows.map(rowOf);
  },

  async get(db: Queryable, documentId: string): Promise<DocumentRow | undefined> {
    const { rows } = await db.query(`SELECT ${COLUMNS} FROM app.documents WHERE document_id = $1`, [
      documentId,
    ]);
    return rows[0] ? rowOf(rows[0]) : undefined;
  },
};
