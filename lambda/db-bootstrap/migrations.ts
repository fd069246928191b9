import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Service migrations (services/<service>/migrations/NNN_<name>.sql), applied by the database
 * bootstrap as `platform_bootstrap`, before it protects the tables: a table a migration creates is
 * given RLS, its policies and grants in the same transaction, so it is never reachable unprotected.
 * Each file is applied once and recorded with its SHA-256 in `platform.schema_migrations`; an
 * applied file must never change (a change is refused, naming the file: add a new one instead).
 * The construct reads the files at synth and passes them as custom-resource properties, so a new
 * migration is also what makes CloudFormation run the bootstrap again.
 */
export interface Migration {
  /** The service folder under services/ (e.g. `documents`). */
  readonly service: string;
  /** The file name (e.g. `001_documents.sql`); applied in name order within a service. */
  readonly name: string;
  readonly sql: string;
  /** SHA-256 of `sql`, hex. */
  readonly sha256: string;
}

export const MIGRATION_FILE = /^\d{3}_[a-z0-9_]+\.sql$/;
const SERVICE = /^[a-z][a-z0-9-]{0,62}$/;

export const sha256Of = (sql: string) => createHash('sha256').update(sql).digest('hex');

/** The custom-resource properties' `Migrations` (strings, as CloudFormation passes them). */
export const migrationsSchema = z
  .array(
    z.object({
      Service: z.string().regex(SERVICE, 'a service folder name (lower case, digits, -)'),
      Name: z.string().regex(MIGRATION_FILE, 'a file name NNN_<name>.sql'),
      Sql: z.string().min(1, 'the SQL of the file'),
      Sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of Sql (hex)'),
    }),
  )
  .default([]);

/** Validates the properties: names, order and every checksum against its SQL. */
export function migrationsOf(properties: unknown): Migration[] {
  const parsed = migrationsSchema.safeParse(properties);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `Migrations.${issue.path.join('.')}: ${issue.message}. Fix: let DatabaseBootstrap read ` +
        'services/<service>/migrations/ (readServiceMigrations) instead of writing the property.',
    );
  }
  const migrations = parsed.data.map((m) => ({
    service: m.Service,
    name: m.Name,
    sql: m.Sql,
    sha256: m.Sha256,
  }));
  for (const m of migrations) {
    if (sha256Of(m.sql) !== m.sha256) {
      throw new Error(
        `Migrations: ${m.service}/${m.name} does not match its Sha256 (the property was changed ` +
          'by hand). Fix: synthesize again so the construct computes it from the file.',
      );
    }
  }
  return migrations;
}
