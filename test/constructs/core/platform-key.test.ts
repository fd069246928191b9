import { Match, Template } from 'aws-cdk-lib/assertions';
import { PlatformKey } from '../../../lib/constructs/core/platform-key';
import { bareStack } from '../../support/bare-stack';

function build(props: { pendingWindowDays?: number; logs?: boolean } = {}) {
  const stack = bareStack();
  const key = new PlatformKey(stack, 'Logs', {
    alias: 'alias/logi-prod-ap-southeast-2-logs',
    description: 'logs',
    pendingWindowDays: props.pendingWindowDays,
  });
  if (props.logs) key.grantCloudWatchLogs();
  return Template.fromStack(stack);
}

test('rotates, waits 30 days before deletion, has its alias and is retained', () => {
  const template = build();
  template.hasResource('AWS::KMS::Key', {
    Properties: { EnableKeyRotation: true, PendingWindowInDays: 30, Description: 'logs' },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
  template.hasResourceProperties('AWS::KMS::Alias', {
    AliasName: 'alias/logi-prod-ap-southeast-2-logs',
  });
});

test('the deletion window is configurable', () => {
  build({ pendingWindowDays: 7 }).hasResourceProperties('AWS::KMS::Key', {
    PendingWindowInDays: 7,
  });
});

test('denies grants except to AWS services acting for a resource', () => {
  build().hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([
        {
          Sid: 'DenyGrantsExceptToAwsServices',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: {
            BoolIfExists: {
              'kms:GrantIsForAWSResource': 'false',
              'aws:PrincipalIsAWSService': 'false',
            },
          },
        },
      ]),
    },
  });
});

const statementsOf = (template: Template): { Sid?: string; [k: string]: unknown }[] =>
  Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;

test('CloudWatch Logs of this account and region only, by encryption context, once granted', () => {
  const logs = statementsOf(build({ logs: true })).find(
    (s) => s.Sid === 'AllowCloudWatchLogsOfThisAccount',
  );
  expect(logs).toMatchObject({
    Effect: 'Allow',
    Principal: { Service: 'logs.ap-southeast-2.amazonaws.com' },
    Resource: '*',
    Condition: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn':
          'arn:aws:logs:ap-southeast-2:333333333333:log-group:*',
      },
    },
  });
  expect(statementsOf(build()).map((s) => s.Sid)).not.toContain('AllowCloudWatchLogsOfThisAccount');
});
