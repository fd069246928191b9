import type { SettingsReader } from '../lifecycle/settings';
import { TABLE_NAME_PATTERN } from '../lifecycle/settings';
import type { RegistryTables } from './tenant-registry';

/** TABLE_NAME (registry) and AUDIT_TABLE_NAME (append-only audit). */
export function readRegistryTables(read: SettingsReader): RegistryTables {
  return {
    registry: read.text('TABLE_NAME', 'the tenant registry table name', TABLE_NAME_PATTERN),
    audit: read.text('AUDIT_TABLE_NAME', 'the lifecycle audit table name', TABLE_NAME_PATTERN),
  };
}
