import { failedValidationMetric } from '../../../lambda/restore-validation/metrics';
import { contract } from '../../../lambda/restore-validation/contract';
import { readEnvironment } from '../../../lambda/shared/contract';
import {
  INSTANCE_PREFIX,
  instanceIdFor,
  parseTrigger,
} from '../../../lambda/restore-validation/trigger';

describe('parseTrigger', () => {
  it('reads the restore job id of a Restore Job State Change', () => {
    expect(
      parseTrigger({
        source: 'aws.backup',
        'detail-type': 'Restore Job State Change',
        detail: { restoreJobId: 'JOB-1', status: 'COMPLETED' },
      }),
    ).toEqual({ kind: 'restore-job', restoreJobId: 'JOB-1' });
  });

  it('reads the instance of an RDS creation event only for its own instances', () => {
    const event = (id: string) => ({
      source: 'aws.rds',
      'detail-type': 'RDS DB Instance Event',
      detail: { EventID: 'RDS-EVENT-0005', SourceIdentifier: id },
    });
    expect(parseTrigger(event(`${INSTANCE_PREFIX}abc`))).toEqual({
      kind: 'instance-created',
      instanceId: `${INSTANCE_PREFIX}abc`,
    });
    expect(parseTrigger(event('logi-prod-ap-southeast-2-aurora-writer')).kind).toBe('unknown');
  });

  it('never throws on anything else', () => {
    for (const e of [
      undefined,
      null,
      42,
      {},
      { source: 'aws.backup', 'detail-type': 'Restore Job State Change' },
    ]) {
      expect(parseTrigger(e).kind).toBe('unknown');
    }
  });
});

describe('instanceIdFor', () => {
  it('gives a valid DB instance identifier for any restore job id', () => {
    for (const job of ['C0FFEE12-3456-7890-ABCD-EF0123456789', 'a_b.c', 'X'.repeat(100), '--x--']) {
      const id = instanceIdFor(job);
      expect(id).toMatch(/^[a-z][a-z0-9-]{0,62}$/);
      expect(id).not.toMatch(/--|-$/);
      expect(id.startsWith(INSTANCE_PREFIX)).toBe(true);
    }
  });
});

describe('the restore validation contract', () => {
  const good = {
    RESTORE_TESTING_PLAN_ARN: 'arn:aws:backup:ap-southeast-2:333333333333:restore-testing-plan:p_1',
    INSTANCE_CLASS: 'db.t4g.medium',
    DB_NAME: 'postgres',
    DB_USER: 'platform_bootstrap',
    AWS_REGION: 'ap-southeast-2',
    NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
  };

  it('accepts a complete environment', () => {
    expect(readEnvironment(contract, good)).toEqual(good);
  });

  it('lists every problem at once', () => {
    expect(() =>
      readEnvironment(contract, { ...good, INSTANCE_CLASS: 't4g', NODE_EXTRA_CA_CERTS: undefined }),
    ).toThrow(/INSTANCE_CLASS: .*\(got "t4g"\); NODE_EXTRA_CA_CERTS: .*\(missing\)/);
  });
});

describe('failedValidationMetric', () => {
  it('is an embedded-metric-format line for the failed-validation alarm', () => {
    const line = JSON.parse(failedValidationMetric('Aurora', new Date(1_700_000_000_000))) as {
      _aws: {
        Timestamp: number;
        CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[];
      };
      ValidationFailed: number;
    };
    expect(line._aws.Timestamp).toBe(1_700_000_000_000);
    expect(line._aws.CloudWatchMetrics[0]).toEqual(
      expect.objectContaining({
        Namespace: 'Platform/RestoreTesting',
        Metrics: [{ Name: 'ValidationFailed', Unit: 'Count' }],
      }),
    );
    expect(line.ValidationFailed).toBe(1);
  });
});
