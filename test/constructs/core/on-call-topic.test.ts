import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { OnCallTopic } from '../../../lib/constructs/core/on-call-topic';
import { bareStack } from '../../support/bare-stack';

function build() {
  const stack = bareStack();
  const key = new kms.Key(stack, 'Key');
  new OnCallTopic(stack, 'OnCall', { topicName: 'logi-prod-ap-southeast-2-on-call', key });
  return Template.fromStack(stack);
}

const PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'backup.amazonaws.com'];

test('named, KMS-encrypted with the given key, retained', () => {
  const template = build();
  template.resourceCountIs('AWS::SNS::Topic', 1);
  template.hasResource('AWS::SNS::Topic', {
    Properties: {
      TopicName: 'logi-prod-ap-southeast-2-on-call',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    },
    DeletionPolicy: 'Retain',
  });
});

test('publishing needs TLS; alarms, EventBridge and Backup of this account may publish', () => {
  const policy = Object.values(build().findResources('AWS::SNS::TopicPolicy'))[0];
  const statements = policy.Properties.PolicyDocument.Statement as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(statements).toContainEqual(
    expect.objectContaining({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  );
  expect(statements).toContainEqual(
    expect.objectContaining({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Principal: { Service: [...PUBLISHERS].sort() },
      Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
    }),
  );
});

test('the publishers may use the key', () => {
  const key = Object.values(build().findResources('AWS::KMS::Key'))[0];
  const statements = key.Properties.KeyPolicy.Statement as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const grant = statements.find((s) =>
    JSON.stringify(s.Principal).includes('events.amazonaws.com'),
  );
  expect(grant?.Principal.Service.sort()).toEqual([...PUBLISHERS].sort());
  expect(grant?.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
});
