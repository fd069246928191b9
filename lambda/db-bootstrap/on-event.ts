import type { Log } from './apply';
import { runBootstrap } from './apply';
import { migrationsOf } from './migrations';
import type { BootstrapConfig } from './config';
import type { ConnectionFactory } from './sql-client';

/** The fields of a CloudFormation custom-resource event (Provider framework `onEvent`) used here. */
export interface OnEventRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  /** `Migrations`: the service migrations to apply (see migrations.ts). */
  readonly ResourceProperties?: { readonly Migrations?: unknown };
}

export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface OnEventDependencies {
  readonly target: Pick<BootstrapConfig, 'host' | 'port' | 'database'>;
  readonly connect: ConnectionFactory;
  readonly log?: Log;
}

/** One physical resource per database: a new cluster or database is a new resource. */
export function physicalResourceId(target: OnEventDependencies['target']): string {
  return `db-bootstrap:${target.host}:${target.port}/${target.database}`;
}

/**
 * Create and Update apply the baseline (idempotent) and run the check; Delete leaves the database
 * alone (roles, schema, policies and data stay: deleting the stack must never weaken isolation).
 * A failure throws, which fails the deployment with the message.
 */
export function createOnEventHandler(deps: OnEventDependencies) {
  const log: Log = deps.log ?? (() => undefined);
  return async (event: OnEventRequest): Promise<OnEventResponse> => {
    const id = physicalResourceId(deps.target);
    if (event.RequestType === 'Delete') {
      log('Delete: nothing to do, the database is left as it is');
      return { PhysicalResourceId: event.PhysicalResourceId ?? id };
    }
    // The master fallback is allowed only for a database this resource has not bootstrapped yet.
    const isNewDatabase = event.RequestType === 'Create' || event.PhysicalResourceId !== id;
    try {
      const result = await runBootstrap({
        connect: deps.connect,
        allowMasterFallback: isNewDatabase,
        migrations: migrationsOf(event.ResourceProperties?.Migrations),
        log,
      });
      return {
        PhysicalResourceId: id,
        Data: {
          TenantTables: String(result.tenantTables.length),
          ReferenceTables: String(result.referenceTables.length),
          UsedMasterFallback: String(result.usedMasterFallback),
          AppliedMigrations: result.appliedMigrations.join(',') || 'none',
        },
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Database bootstrap (${event.RequestType}) failed: ${reason}`, {
        cause: error,
      });
    }
  };
}
