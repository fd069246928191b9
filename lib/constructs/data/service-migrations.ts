import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Migration } from '../../../lambda/db-bootstrap/migrations';
import { MIGRATION_FILE, sha256Of } from '../../../lambda/db-bootstrap/migrations';

/** The services of the repository (services/<service>/migrations/). */
export const SERVICES_DIRECTORY = join(__dirname, '..', '..', '..', 'services');

/**
 * The migrations of every service under `servicesDirectory`, in the order the bootstrap applies
 * them (service, then file name), each with the SHA-256 of its SQL. A file in a migrations folder
 * that is not `NNN_<name>.sql` is refused, naming it, rather than silently never applied.
 */
export function readServiceMigrations(servicesDirectory = SERVICES_DIRECTORY): Migration[] {
  if (!existsSync(servicesDirectory)) return [];
  return readdirSync(servicesDirectory)
    .sort()
    .flatMap((service) => {
      const folder = join(servicesDirectory, service, 'migrations');
      if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
      return readdirSync(folder)
        .sort()
        .map((name) => {
          if (!MIGRATION_FILE.test(name)) {
            throw new Error(
              `services/${service}/migrations/${name}: not a migration file name. Fix: name it ` +
                'NNN_<name>.sql (three digits, lower case, digits and _), e.g. 002_add_index.sql.',
            );
          }
          const sql = readFileSync(join(folder, name), 'utf8');
          return { service, name, sql, sha256: sha256Of(sql) };
        });
    });
}
