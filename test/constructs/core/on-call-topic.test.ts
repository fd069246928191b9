import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { AlertSubscription } from '../../../lib/constructs/core/on-call-topic';
import { OnCallTopic } from '../../../lib/constructs/core/on-call-topic';
import { bareStack, TEST_ACCOUNT } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUBSCRIPTIONS: AlertSubscription[] = [
  { protocol: 'email', endpoint: 'oncall@example.com', severities: ['security', 'operational'] },
  { protocol: 'email', endpoint: 'soc@example.com', severities: ['security'] },
  { protocol: 'https', endpoint: 'https://events.example.com/sns', severities: ['operational'] },
];

/** The construct on a bare stack; an EventBridge rule targets each topic, as stacks do. */
function build(subscriptions: AlertSubscription[] = SUBSCRIPTIONS) {
  const stack = bareStack();
  const key = new kms.Key(stack, 'Key');
  const onCall = new OnCallTopic(stack, 'OnCall', {
    topicName: 'logi-prod-ap-southeast-2-oncall',
    securityTopicName: 'logi-prod-ap-southeast-2-oncall-security',
    key,
    subscriptions,
  });
  for (const [id, topic] of [
    ['Ops', onCall.topic],
    ['Sec', onCall.securityTopic],
  ] as const) {
    new events.Rule(stack, id, {
      eventPattern: { source: ['aws.kms'] },
      targets: [new targets.SnsTopic(topic)],
    });
  }
  return { onCall, template: Template.fromStack(stack) };
}

function logicalIdOf(template: Template, topicName: string): string {
  const [id] = Object.keys(
    template.findResources('AWS::SNS::Topic', { Properties: { TopicName: topicName } }),
  );
  return id;
}

function subscribers(template: Template, topicName: string): string[] {
  const id = logicalIdOf(template, topicName);
  return Object.values(template.findResources('AWS::SNS::Subscription'))
    .filter((s) => s.Properties.TopicArn.Ref === id)
    .map((s) => `${s.Properties.Protocol} ${s.Properties.Endpoint}`)
    .sort();
}

test('two named topics, KMS-encrypted with the given key, retained; logical id of the first kept', () => {
  const { template } = build();
  template.resourceCountIs('AWS::SNS::Topic', 2);
  for (const name of [
    'logi-prod-ap-southeast-2-oncall',
    'logi-prod-ap-southeast-2-oncall-security',
  ]) {
    template.hasResource('AWS::SNS::Topic', {
      Properties: {
        TopicName: name,
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
    });
  }
  expect(logicalIdOf(template, 'logi-prod-ap-southeast-2-oncall')).toMatch(
    /^OnCallTopic[0-9A-F]{8}$/,
  );
});

test('subscribers are routed by severity', () => {
  const { template } = build();
  expect(subscribers(template, 'logi-prod-ap-southeast-2-oncall-security')).toEqual([
    'email oncall@example.com',
    'email soc@example.com',
  ]);
  expect(subscribers(template, 'logi-prod-ap-southeast-2-oncall')).toEqual([
    'email oncall@example.com',
    'https https://events.example.com/sns',
  ]);
  template.resourceCountIs('AWS::SNS::Subscription', 4);
});

test('topicFor names the topic of each severity', () => {
  const { onCall } = build();
  expect(onCall.topicFor('security')).toBe(onCall.securityTopic);
  expect(onCall.topicFor('operational')).toBe(onCall.topic);
});

test('no subscriptions: no subscription resources', () => {
  build([]).template.resourceCountIs('AWS::SNS::Subscription', 0);
});

describe.each(['logi-prod-ap-southeast-2-oncall', 'logi-prod-ap-southeast-2-oncall-security'])(
  'the policy of %s',
  (name) => {
    function statements(): Json[] {
      const { template } = build();
      const id = logicalIdOf(template, name);
      const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((p) =>
        p.Properties.Topics.some((t: Json) => t.Ref === id),
      );
      expect(policies).toHaveLength(1);
      return policies[0].Properties.PolicyDocument.Statement as Json[];
    }

    test('publishing needs TLS', () => {
      expect(statements()).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Principal: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });

    test('every Allow statement, also the EventBridge target grant, is for this account only', () => {
      const allows = statements().filter((s) => s.Effect === 'Allow');
      expect(allows.length).toBeGreaterThan(0);
      for (const statement of allows) {
        expect(statement.Condition).toEqual({
          StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        });
      }
      const services = allows.flatMap((s) => [s.Principal.Service].flat()).sort();
      expect(services).toEqual([
        'backup.amazonaws.com',
        'cloudwatch.amazonaws.com',
        'events.amazonaws.com',
      ]);
    });
  },
);

test('the publishers may use the key', () => {
  const key = Object.values(build().template.findResources('AWS::KMS::Key'))[0];
  const statements = key.Properties.KeyPolicy.Statement as Json[];
  const grant = statements.find((s) =>
    JSON.stringify(s.Principal).includes('events.amazonaws.com'),
  );
  expect(grant?.Principal.Service.sort()).toEqual([
    'backup.amazonaws.com',
    'cloudwatch.amazonaws.com',
    'events.amazonaws.com',
  ]);
  expect(grant?.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
});
