import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  CloudTrailMultiRegionDataEvents,
  CloudWatchAlarmHasAction,
  GuardDutyDetectorEnabled,
  LogGroupRetentionBounded,
  logGroupRetentionMinimum,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT } from '../rule-harness';

describe('LogGroupRetentionBounded and logGroupRetentionMinimum', () => {
  const minimum = logGroupRetentionMinimum(365);
  it('pass a one-year log group', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'G', { retention: logs.RetentionDays.ONE_YEAR });
    const l1 = group.node.defaultChild as logs.CfnLogGroup;
    expect(LogGroupRetentionBounded(l1)).toBe(COMPLIANT);
    expect(minimum(l1)).toBe(COMPLIANT);
  });
  it('fail infinite retention (bounded) and a short one (minimum)', () => {
    const stack = newStack();
    const forever = cfn(stack, 'F', 'AWS::Logs::LogGroup');
    expect(LogGroupRetentionBounded(forever)).toBe(NON_COMPLIANT);
    expect(minimum(forever)).toBe(COMPLIANT);
    expect(minimum(cfn(stack, 'S', 'AWS::Logs::LogGroup', { RetentionInDays: 7 }))).toBe(
      NON_COMPLIANT,
    );
    // No minimum given: the pack's default of 365 days applies, so 180 days fails.
    const halfYear = cfn(stack, 'H', 'AWS::Logs::LogGroup', { RetentionInDays: 180 });
    expect(logGroupRetentionMinimum()(halfYear)).toBe(NON_COMPLIANT);
    expect(logGroupRetentionMinimum(90)(halfYear)).toBe(COMPLIANT);
  });
});

describe('CloudTrailMultiRegionDataEvents', () => {
  it('passes an L2 multi-region trail with S3 data events', () => {
    const stack = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail', { isMultiRegionTrail: true });
    trail.addS3EventSelector([
      { bucket: s3.Bucket.fromBucketName(stack, 'Files', 'logi-prod-files') },
    ]);
    expect(CloudTrailMultiRegionDataEvents(trail.node.defaultChild as cloudtrail.CfnTrail)).toBe(
      COMPLIANT,
    );
  });
  it('names what is missing', () => {
    const trail = cfn(newStack(), 'T', 'AWS::CloudTrail::Trail', {
      IsLogging: true,
      S3BucketName: 'b',
    });
    expect(CloudTrailMultiRegionDataEvents(trail)).toEqual(['MultiRegion', 'DataEvents']);
  });
});

describe('CloudWatchAlarmHasAction', () => {
  it('passes an alarm with an alarm action', () => {
    const alarm = cfn(newStack(), 'A', 'AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:ap-southeast-2:333333333333:oncall'],
    });
    expect(CloudWatchAlarmHasAction(alarm)).toBe(COMPLIANT);
  });
  it('fails no actions and OK-only actions; a list intrinsic is not checkable (cdk-nag passes it)', () => {
    const stack = newStack();
    expect(CloudWatchAlarmHasAction(cfn(stack, 'N', 'AWS::CloudWatch::Alarm'))).toBe(NON_COMPLIANT);
    expect(
      CloudWatchAlarmHasAction(
        cfn(stack, 'O', 'AWS::CloudWatch::Alarm', { OKActions: ['arn:aws:sns:x'] }),
      ),
    ).toBe(NON_COMPLIANT);
    const list = new CfnParameter(stack, 'Topics', { type: 'CommaDelimitedList' });
    const split = cfn(stack, 'S', 'AWS::CloudWatch::Alarm', {
      AlarmActions: Fn.split(',', Fn.join(',', list.valueAsList)),
    });
    expect(CloudWatchAlarmHasAction(split)).toEqual(['NotCheckable:AlarmActions']);
  });
});

describe('GuardDutyDetectorEnabled', () => {
  it('passes an enabled detector and fails a disabled one', () => {
    const stack = newStack();
    expect(
      GuardDutyDetectorEnabled(cfn(stack, 'On', 'AWS::GuardDuty::Detector', { Enable: true })),
    ).toBe(COMPLIANT);
    expect(
      GuardDutyDetectorEnabled(cfn(stack, 'Off', 'AWS::GuardDuty::Detector', { Enable: false })),
    ).toBe(NON_COMPLIANT);
  });
});
