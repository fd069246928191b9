import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { JobsQueueProps } from '../../../lib/constructs/lifecycle/jobs-queue';
import { JobsQueue } from '../../../lib/constructs/lifecycle/jobs-queue';
import { bareStack } from '../../support/bare-stack';

function build(props: Partial<JobsQueueProps> = {}) {
  const stack = bareStack();
  new JobsQueue(stack, 'Jobs', {
    key: new kms.Key(stack, 'Key'),
    consumerTimeout: Duration.minutes(15),
    ...props,
  });
  return Template.fromStack(stack);
}

const queues = (template: Template) => Object.values(template.findResources('AWS::SQS::Queue'));

test('the queue redrives to its DLQ after 3 receives, with six times the worker timeout as visibility', () => {
  const all = queues(build());
  expect(all).toHaveLength(2);
  const jobs = all.filter((q) => q.Properties.RedrivePolicy);
  expect(jobs).toHaveLength(1);
  expect(jobs[0].Properties).toMatchObject({
    VisibilityTimeout: 6 * 900,
    MessageRetentionPeriod: 4 * 24 * 3600,
    RedrivePolicy: { maxReceiveCount: 3 },
  });
});

test('the DLQ keeps messages 14 days; both SSE-KMS with the key, retained', () => {
  const template = build();
  const dlq = queues(template).find((q) => !q.Properties.RedrivePolicy)!;
  expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  for (const q of queues(template)) {
    expect(q.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(q.Properties.KmsDataKeyReusePeriodSeconds).toBe(3600);
    expect(q.DeletionPolicy).toBe('Retain');
  }
});

test('both queues refuse requests without TLS', () => {
  const policies = Object.values(build().findResources('AWS::SQS::QueuePolicy'));
  expect(policies).toHaveLength(2);
  for (const p of policies) {
    expect(p.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  }
});

test('receive count and DLQ retention are configurable', () => {
  const all = queues(build({ maxReceiveCount: 5, deadLetterRetention: Duration.days(7) }));
  expect(
    all.find((q) => q.Properties.RedrivePolicy)!.Properties.RedrivePolicy.maxReceiveCount,
  ).toBe(5);
  expect(all.find((q) => !q.Properties.RedrivePolicy)!.Properties.MessageRetentionPeriod).toBe(
    7 * 24 * 3600,
  );
});
