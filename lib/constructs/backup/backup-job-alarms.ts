import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AlarmTarget } from '../core/on-call-alarm';
import { FIVE_MINUTES, onCallAlarm } from '../core/on-call-alarm';
import { RUNBOOKS } from '../core/runbooks';

export interface BackupJobAlarmsProps {
  readonly target: AlarmTarget;
  /** This region's vault: the job metrics' `BackupVaultName` dimension. */
  readonly vaultName: string;
}

/** The AWS Backup job metrics (namespace AWS/Backup) that count jobs needing a human. */
export const FAILED_JOB_METRICS = {
  backup: ['NumberOfBackupJobsFailed', 'NumberOfBackupJobsAborted', 'NumberOfBackupJobsExpired'],
  copy: ['NumberOfCopyJobsFailed'],
  restore: ['NumberOfRestoreJobsFailed'],
} as const;

/**
 * Alarms on AWS Backup's job metrics for this region's vault: backup jobs failed, aborted or
 * expired; copy jobs (to the other region) failed; restore jobs (including restore tests) failed.
 * The EventBridge rules of BackupAlerts send each failed job's event with its id; these alarms
 * put the same failures on the dashboard and keep them in ALARM state while they recur.
 */
export class BackupJobAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: BackupJobAlarmsProps) {
    super(scope, id);
    const failures = (kind: keyof typeof FAILED_JOB_METRICS) => {
      const metrics = Object.fromEntries(
        FAILED_JOB_METRICS[kind].map((metricName, i) => [
          `m${i}`,
          new cloudwatch.Metric({
            namespace: 'AWS/Backup',
            metricName,
            dimensionsMap: { BackupVaultName: props.vaultName },
            statistic: 'Sum',
            period: FIVE_MINUTES,
          }),
        ]),
      );
      const keys = Object.keys(metrics);
      return keys.length === 1
        ? metrics[keys[0]]
        : new cloudwatch.MathExpression({
            expression: keys.map((k) => `FILL(${k}, 0)`).join(' + '),
            usingMetrics: metrics,
            label: `${kind} jobs failed, aborted or expired`,
            period: FIVE_MINUTES,
          });
    };
    const alarm = (kind: keyof typeof FAILED_JOB_METRICS, what: string) =>
      onCallAlarm(this, `${kind}JobsFailed`, props.target, {
        name: `${kind}-jobs-failed`,
        summary: `${what} of vault ${props.vaultName}`,
        runbook: kind === 'restore' ? RUNBOOKS.restoreTests : RUNBOOKS.backupJobs,
        metric: failures(kind),
        threshold: 0,
      });
    this.alarms = [
      alarm('backup', 'Backup jobs failed, aborted or expired'),
      alarm('copy', 'Copy jobs to the other region failed'),
      alarm('restore', 'Restore jobs (restore tests included) failed'),
    ];
  }
}
