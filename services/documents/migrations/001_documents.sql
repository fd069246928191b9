-- The documents service's table. Applied once by the database bootstrap at deploy, as
-- platform_bootstrap (the owner of schema app), and recorded in platform.schema_migrations; in
-- the same transaction the bootstrap finds the tenant_id column, enables and forces row-level
-- security with the tenant_isolation policy and grants app_user (docs/tenant-context.md), so the
-- table is never reachable unprotected. Applied files never change: add 002_... for a change.
CREATE TABLE IF NOT EXISTS app.documents (
  tenant_id    text        NOT NULL,
  document_id  uuid        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('manifest', 'signature', 'invoice', 'photo')),
  content_type text        NOT NULL,
  max_bytes    integer     NOT NULL CHECK (max_bytes > 0),
  file_name    text        CHECK (char_length(file_name) <= 200),
  object_key   text        NOT NULL UNIQUE,
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, document_id),
  CHECK (object_key LIKE 'tenants/' || tenant_id || '/documents/%')
);
CREATE INDEX IF NOT EXISTS documents_by_tenant_created
  ON app.documents (tenant_id, created_at DESC, document_id);
