import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BackupJobAlarms,
  FAILED_JOB_METRICS,
} from '../../../lib/constructs/backup/backup-job-alarms';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PREFIX = 'logi-prod-ap-southeast-2-backup';
const VAULT = 'logi-prod-ap-southeast-2-vault';

const stack = bareStack();
const construct = new BackupJobAlarms(stack, 'JobAlarms', {
  target: { topic: new sns.Topic(stack, 'OnCall'), namePrefix: PREFIX },
  vaultName: VAULT,
});
const template = Template.fromStack(stack);
const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (a) => a.Properties as Json,
);
const named = (what: string) => {
  const alarm = alarms.find((a) => a.AlarmName === `${PREFIX}-${what}`);
  if (!alarm) throw new Error(`no alarm ${PREFIX}-${what}`);
  return alarm;
};
/** Each metric an alarm reads: its own, or every metric of its math expression. */
const metricsOf = (alarm: Json): Json[] =>
  alarm.Metrics
    ? alarm.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => ({
        ...m.MetricStat.Metric,
        Stat: m.MetricStat.Stat,
        Period: m.MetricStat.Period,
      }))
    : [
        {
          Namespace: alarm.Namespace,
          MetricName: alarm.MetricName,
          Dimensions: alarm.Dimensions,
          Stat: alarm.Statistic,
          Period: alarm.Period,
        },
      ];

test('three alarms, one per job kind, named <prefix>-<kind>-jobs-failed', () => {
  expect(alarms.map((a) => a.AlarmName).sort()).toEqual([
    `${PREFIX}-backup-jobs-failed`,
    `${PREFIX}-copy-jobs-failed`,
    `${PREFIX}-restore-jobs-failed`,
  ]);
  expect(construct.alarms).toHaveLength(3);
});

test('backup jobs: failed, aborted and expired all count (an expired job is a missed backup)', () => {
  const names = metricsOf(named('backup-jobs-failed')).map((m) => m.MetricName);
  expect(names.sort()).toEqual(
    ['NumberOfBackupJobsAborted', 'NumberOfBackupJobsExpired', 'NumberOfBackupJobsFailed'].sort(),
  );
});

test('copy jobs to the other region and restore jobs each have their failed-jobs metric', () => {
  expect(metricsOf(named('copy-jobs-failed')).map((m) => m.MetricName)).toEqual([
    'NumberOfCopyJobsFailed',
  ]);
  expect(metricsOf(named('restore-jobs-failed')).map((m) => m.MetricName)).toEqual([
    'NumberOfRestoreJobsFailed',
  ]);
});

test('every metric is AWS/Backup, summed over five minutes, for this region’s vault only', () => {
  for (const alarm of alarms) {
    for (const metric of metricsOf(alarm)) {
      expect(metric).toEqual({
        Namespace: 'AWS/Backup',
        MetricName: expect.any(String),
        Dimensions: [{ Name: 'BackupVaultName', Value: VAULT }],
        Stat: 'Sum',
        Period: 300,
      });
    }
  }
});

test('the backup sum fills a missing series with 0: one failed job alone still makes a datapoint', () => {
  // Without FILL, m0 + m1 + m2 has no value where any one series has none (AWS/Backup publishes
  // only for jobs that ran), and a lone failure would never reach the threshold.
  const alarm = named('backup-jobs-failed');
  const expression = alarm.Metrics.find((m: Json) => m.Expression);
  const ids: string[] = alarm.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => m.Id);
  expect(ids).toHaveLength(FAILED_JOB_METRICS.backup.length);
  expect(expression.ReturnData ?? true).toBe(true);
  const terms = (expression.Expression as string).split('+').map((t) => t.trim());
  expect(terms.sort()).toEqual(ids.map((id) => `FILL(${id}, 0)`).sort());
  // Only the expression is the alarm's value.
  for (const m of alarm.Metrics.filter((x: Json) => x.MetricStat)) expect(m.ReturnData).toBe(false);
});

test('one failed job in five minutes fires; no jobs is quiet', () => {
  for (const alarm of alarms) {
    expect(alarm).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  }
});

test('each alarm notifies on-call on alarm and on recovery', () => {
  for (const alarm of alarms) {
    expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
    expect(alarm.OKActions).toEqual([{ Ref: topic }]);
  }
});

test('descriptions name the vault; restore failures link the restore-testing runbook, the rest backup-job-failures', () => {
  for (const alarm of alarms) expect(alarm.AlarmDescription).toContain(`of vault ${VAULT}.`);
  expect(named('backup-jobs-failed').AlarmDescription).toMatch(
    /Runbook: docs\/runbooks\/alarms\.md#backup-job-failures$/,
  );
  expect(named('copy-jobs-failed').AlarmDescription).toMatch(
    /Runbook: docs\/runbooks\/alarms\.md#backup-job-failures$/,
  );
  expect(named('restore-jobs-failed').AlarmDescription).toMatch(
    /Runbook: docs\/runbooks\/restore-testing-results\.md#how-to-read-it$/,
  );
});

test('ids <kind>JobsFailed, so the logical ids stay put', () => {
  for (const kind of ['backup', 'copy', 'restore']) {
    expect(construct.node.tryFindChild(`${kind}JobsFailed`)).toBeDefined();
  }
});
