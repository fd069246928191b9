import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { RECOVERY_POINT_DESTRUCTION_ACTIONS, VAULT_PROTECTION_ACTIONS } from './backup-vault';

export interface BackupAlertsProps {
  /** The on-call topic of this region. */
  readonly topic: sns.ITopic;
  /** Name of this region's vault: vault and recovery-point events are filtered to it. */
  readonly vaultName: string;
  /** Prefix of the EventBridge rule names, e.g. `logi-prod-ap-southeast-2-backup`. */
  readonly namePrefix: string;
}

/** Job end states that need a human. */
export const FAILED_JOB_STATES = ['FAILED', 'ABORTED', 'EXPIRED'] as const;

/**
 * API calls that delete recovery points or weaken the vault: on-call hears of every one, allowed
 * (break glass) or denied (an attempt), through CloudTrail.
 */
export const PROTECTION_CALLS = [
  ...RECOVERY_POINT_DESTRUCTION_ACTIONS,
  ...VAULT_PROTECTION_ACTIONS,
  'backup:DisassociateRecoveryPoint',
].map((action) => action.replace('backup:', ''));

/**
 * AWS Backup events that reach on-call, through EventBridge to the on-call topic:
 * - a backup or copy job (`state`) or a restore job (`status`) ended FAILED, ABORTED or EXPIRED;
 * - a restore validation ended FAILED or TIMED_OUT;
 * - the vault changed state, or a recovery point expired without being deleted or is partial;
 * - anyone called an API that deletes recovery points or weakens the vault (CloudTrail: needs
 *   the account's trail; denied attempts are reported too).
 */
export class BackupAlerts extends Construct {
  readonly jobFailures: events.Rule;
  readonly restoreFailures: events.Rule;
  readonly vaultEvents: events.Rule;
  readonly recoveryPointProblems: events.Rule;
  readonly protectionCalls: events.Rule;

  constructor(scope: Construct, id: string, props: BackupAlertsProps) {
    super(scope, id);
    const target = new targets.SnsTopic(props.topic);

    this.jobFailures = new events.Rule(this, 'JobFailures', {
      ruleName: `${props.namePrefix}-job-failures`,
      description: 'AWS Backup backup and copy jobs that failed, aborted or expired',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change', 'Copy Job State Change'],
        detail: { state: [...FAILED_JOB_STATES] },
      },
      targets: [target],
    });

    this.restoreFailures = new events.Rule(this, 'RestoreFailures', {
      ruleName: `${props.namePrefix}-restore-job-failures`,
      description:
        'AWS Backup restore jobs (incl. restore tests) that failed, or whose validation failed',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Restore Job State Change'],
        detail: {
          $or: [{ status: [...FAILED_JOB_STATES] }, { validationStatus: ['FAILED', 'TIMED_OUT'] }],
        },
      },
      targets: [target],
    });

    this.vaultEvents = new events.Rule(this, 'VaultEvents', {
      ruleName: `${props.namePrefix}-vault-events`,
      description: `State changes of vault ${props.vaultName} (created, deleted, lock or policy changed)`,
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Vault State Change'],
        detail: { backupVaultName: [props.vaultName] },
      },
      targets: [target],
    });

    this.recoveryPointProblems = new events.Rule(this, 'RecoveryPointProblems', {
      ruleName: `${props.namePrefix}-recovery-point-problems`,
      description: 'Recovery points that expired without deletion or are only partial',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Recovery Point State Change'],
        detail: { status: ['EXPIRED', 'PARTIAL'] },
      },
      targets: [target],
    });

    this.protectionCalls = new events.Rule(this, 'ProtectionCalls', {
      ruleName: `${props.namePrefix}-protection-calls`,
      description:
        'Calls (allowed or denied) that delete recovery points or change the vault protection',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['backup.amazonaws.com'], eventName: [...PROTECTION_CALLS] },
      },
      targets: [target],
    });
  }
}
