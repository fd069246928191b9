/**
 * The service's reader of a tenant's settings as the registry holds them (attribute `settings`).
 * The schema and its validation live with the writer, the admin API's settings function
 * (`lambda/shared/tenant-registry/settings.ts`, zod); this reader only takes what this service
 * needs and fails closed on a schema version it does not know. test/services/documents checks
 * that both sides agree on every version, plan, module and document kind.
 */

/** Document kinds (the same list as the registry schema's `documents.kinds`). */
export const DOCUMENT_KINDS = ['manifest', 'signature', 'invoice', 'photo'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The module this service is. */
export const DOCUMENTS_MODULE = 'documents';

/** Settings schema versions this service understands. */
export const KNOWN_SCHEMA_VERSIONS: readonly number[] = [1];

export interface TenantSettings {
  readonly schemaVersion: number;
  readonly plan: string;
  readonly modules: readonly string[];
  /** Document kinds the tenant may upload; every kind when the tenant set none. */
  readonly documentKinds: readonly DocumentKind[];
}

/** What a tenant registered before settings existed has (the registry schema's default). */
export const DEFAULT_SETTINGS: TenantSettings = {
  schemaVersion: 1,
  plan: 'standard',
  modules: [DOCUMENTS_MODULE],
  documentKinds: DOCUMENT_KINDS,
};

export class UnreadableSettings extends Error {
  constructor(tenantId: string, why: string) {
    super(`settings of tenant ${tenantId} are unreadable: ${why}`);
    this.name = 'UnreadableSettings';
  }
}

/** The settings of a registry item's `settings` attribute (absent: the default). */
export function settingsFromItem(tenantId: string, raw: unknown): TenantSettings {
  if (raw === undefined || raw === null) return DEFAULT_SETTINGS;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UnreadableSettings(tenantId, 'not a map');
  }
  const item = raw as Record<string, unknown>;
  if (!KNOWN_SCHEMA_VERSIONS.includes(item.schemaVersion as number)) {
    throw new UnreadableSettings(
      tenantId,
      `schemaVersion ${JSON.stringify(item.schemaVersion)} is not one of ` +
        `${KNOWN_SCHEMA_VERSIONS.join(', ')}: deploy a version of the service that reads it`,
    );
  }
  const { plan, modules } = item;
  if (typeof plan !== 'string') throw new UnreadableSettings(tenantId, 'plan is not a string');
  if (!Array.isArray(modules) || !modules.every((m) => typeof m === 'string')) {
    throw new UnreadableSettings(tenantId, 'modules is not a list of names');
  }
  const kinds = (item.documents as { kinds?: unknown } | undefined)?.kinds;
  const documentKinds =
    kinds === undefined
      ? DOCUMENT_KINDS
      : Array.isArray(kinds)
        ? DOCUMENT_KINDS.filter((k) => kinds.includes(k))
        : undefined;
  if (!documentKinds) throw new UnreadableSettings(tenantId, 'documents.kinds is not a list');
  return { schemaVersion: item.schemaVersion as number, plan, modules, documentKinds };
}
