import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { functionLogGroup } from '../../../lib/constructs/core/function-log-group';
import { bareStack } from '../../support/bare-stack';

function build(name?: string) {
  const stack = bareStack();
  functionLogGroup(stack, 'Logs', {
    key: new kms.Key(stack, 'LogsKey'),
    retention: logs.RetentionDays.ONE_YEAR,
    name,
  });
  return Template.fromStack(stack);
}

test('encrypted with the given key, kept as configured, retained on deletion', () => {
  build().hasResource('AWS::Logs::LogGroup', {
    Properties: {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      RetentionInDays: 365,
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('named only when a name is given', () => {
  build('/aws/lambda/fixed').hasResourceProperties('AWS::Logs::LogGroup', {
    LogGroupName: '/aws/lambda/fixed',
  });
  const group = Object.values(build().findResources('AWS::Logs::LogGroup'))[0];
  expect(group.Properties.LogGroupName).toBeUndefined();
});
