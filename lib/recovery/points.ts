import type {
  ListRecoveryPointsByBackupVaultCommandOutput,
  ListRecoveryPointsByResourceCommandOutput,
  RecoveryPointByResource,
} from '@aws-sdk/client-backup';
import {
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import type { PlatformConfig } from '../config';
import { InputError } from './errors';
import type { RecoveryRuntime } from './runtime';
import { resolveTarget, resourceArns } from './target';

export const RESOURCES = ['aurora', 'files', 'tenants'] as const;
export type ResourceKind = (typeof RESOURCES)[number];

export interface PointsOptions {
  readonly env?: string;
  readonly region?: string;
  readonly resource?: string;
  readonly json?: boolean;
}

/** One recovery point as printed. */
export interface RecoveryPointRow {
  readonly created: string;
  readonly status: string;
  readonly sizeBytes?: number;
  readonly vault: string;
  /** `local`, or `copy from <region>` for a cross-region copy of the peer region's resource. */
  readonly source: string;
  readonly recoveryPointArn: string;
  readonly encryptionKeyArn?: string;
}

export function parseResource(value: string | undefined): ResourceKind {
  if (!value || !(RESOURCES as readonly string[]).includes(value)) {
    throw new InputError(
      '--resource',
      value ? `"${value}" is not a backed-up resource` : 'is required',
      `use one of: ${RESOURCES.join(', ')}`,
    );
  }
  return value as ResourceKind;
}

function arnOf(kind: ResourceKind, arns: ReturnType<typeof resourceArns>): string {
  if (kind === 'aurora') return arns.auroraCluster;
  if (kind === 'files') return arns.filesBucket;
  return arns.tenantTable;
}

/**
 * `points`: recovery points in the region's vault for the resource: its own (ListRecoveryPointsByResource,
 * kept to this vault) and, in a two-region environment, the copies of the peer region's resource
 * that the backup plan's copy actions put into this vault (ListRecoveryPointsByBackupVault).
 */
export async function listPoints(
  config: PlatformConfig,
  options: PointsOptions,
  runtime: RecoveryRuntime,
): Promise<RecoveryPointRow[]> {
  const target = resolveTarget(config, options.env, options.region);
  const kind = parseResource(options.resource);
  const vault = target.names.backupVault;
  const backup = runtime.clients.backup(target.region);
  const rows: RecoveryPointRow[] = [];

  const ownArn = arnOf(kind, resourceArns(target));
  let token: string | undefined;
  do {
    const page: ListRecoveryPointsByResourceCommandOutput = await backup.send(
      new ListRecoveryPointsByResourceCommand({ ResourceArn: ownArn, NextToken: token }),
    );
    for (const point of page.RecoveryPoints ?? []) {
      if (point.BackupVaultName === vault) rows.push(toRow(point, vault, 'local'));
    }
    token = page.NextToken;
  } while (token);

  if (target.peerRegion) {
    const peerArn = arnOf(kind, resourceArns(target, target.peerRegion));
    token = undefined;
    do {
      const page: ListRecoveryPointsByBackupVaultCommandOutput = await backup.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: vault,
          ByResourceArn: peerArn,
          NextToken: token,
        }),
      );
      for (const point of page.RecoveryPoints ?? []) {
        rows.push(
          toRow(
            { ...point, BackupSizeBytes: point.BackupSizeInBytes },
            vault,
            `copy from ${target.peerRegion}`,
          ),
        );
      }
      token = page.NextToken;
    } while (token);
  }

  rows.sort((a, b) => b.created.localeCompare(a.created));
  if (options.json) {
    runtime.terminal.out(JSON.stringify(rows, null, 2));
  } else {
    runtime.terminal.out(
      `Recovery points of ${kind} (${ownArn}) in vault ${vault} (${target.region}): ${rows.length}`,
    );
    if (rows.length > 0) runtime.terminal.out(formatTable(rows));
  }
  return rows;
}

function toRow(point: RecoveryPointByResource, vault: string, source: string): RecoveryPointRow {
  return {
    created: point.CreationDate?.toISOString() ?? '',
    status: point.Status ?? 'UNKNOWN',
    sizeBytes: point.BackupSizeBytes,
    vault: point.BackupVaultName ?? vault,
    source,
    recoveryPointArn: point.RecoveryPointArn ?? '',
    encryptionKeyArn: point.EncryptionKeyArn,
  };
}

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatTable(rows: readonly RecoveryPointRow[]): string {
  const header = ['CREATED', 'STATUS', 'SIZE', 'SOURCE', 'RECOVERY POINT'];
  const cells = rows.map((r) => [
    r.created,
    r.status,
    formatSize(r.sizeBytes),
    r.source,
    r.recoveryPointArn,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}
