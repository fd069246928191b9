import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ISO27001_DEFAULT_POLICY,
  ISO27001_POLICY_FLOORS,
  Iso27001Checks,
  resolvePolicy,
} from '@logistics-platform/cdk-iso27001';
import { testApp } from '../../support/app';
import { PRIMARY, PROD_ACCOUNT } from './rules/rule-harness';

describe('the pack policy', () => {
  it('has defaults at or above its floors', () => {
    for (const key of Object.keys(
      ISO27001_POLICY_FLOORS,
    ) as (keyof typeof ISO27001_POLICY_FLOORS)[]) {
      expect(ISO27001_DEFAULT_POLICY[key]).toBeGreaterThanOrEqual(ISO27001_POLICY_FLOORS[key]);
    }
    expect(resolvePolicy({})).toEqual(ISO27001_DEFAULT_POLICY);
  });

  it('lets a prop tighten or relax a default down to its floor', () => {
    expect(resolvePolicy({ minimumLogRetentionDays: 731 }).minimumLogRetentionDays).toBe(731);
    expect(resolvePolicy({ minimumBackupRetentionDays: 7 }).minimumBackupRetentionDays).toBe(7);
  });

  it('refuses a minimum below its floor, naming the field and the floor', () => {
    expect(() => resolvePolicy({ minimumLogRetentionDays: 30 })).toThrow(
      /minimumLogRetentionDays is 30 days, below the pack's floor of 90/,
    );
    expect(() => new Iso27001Checks(testApp(), { minimumBackupRetentionDays: 1 })).toThrow(
      /minimumBackupRetentionDays is 1 days, below the pack's floor of 7/,
    );
    expect(() => new Iso27001Checks(testApp(), { minimumKeyDeletionWindowDays: 45 })).toThrow(
      /above the AWS limit of 30/,
    );
  });

  it('refuses an allowed TLS policy that permits TLS older than 1.2', () => {
    expect(
      () =>
        new Iso27001Checks(testApp(), {
          allowedLoadBalancerTlsPolicies: ['ELBSecurityPolicy-2016-08'],
        }),
    ).toThrow(/ELBSecurityPolicy-2016-08 allow\(s\) TLS older than 1.2/);
  });

  it('checks log retention with no props at all (a 90-day log group fails the 365-day default)', () => {
    const app = testApp();
    const stack = new Stack(app, 'NoProps', { env: { account: PROD_ACCOUNT, region: PRIMARY } });
    new logs.LogGroup(stack, 'Short', { retention: logs.RetentionDays.THREE_MONTHS });
    const names = new Iso27001Checks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(names).toContain('ISO.27001.2022-LogGroupRetentionMinimum');
    expect(names).toContain('ISO.27001.2022-RequiredTags[Owner]');
  });
});
