import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { MANAGED_RULE_GROUPS, WebAcl } from '../../../lib/constructs/ingress/web-acl';
import { bareStack } from '../../support/bare-stack';

const NAME = 'logi-prod-ap-southeast-2-web-acl';
const LB = 'arn:aws:elasticloadbalancing:ap-southeast-2:333333333333:loadbalancer/app/x/1';

function build() {
  const stack = bareStack();
  new WebAcl(stack, 'Waf', {
    name: NAME,
    protectedResourceArn: LB,
    rateLimitPer5Minutes: 1000,
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
  });
  return Template.fromStack(stack);
}

test('regional, allows by default, the per-IP rate rule first, then the managed groups', () => {
  const [acl] = Object.values(build().findResources('AWS::WAFv2::WebACL'));
  expect(acl.Properties).toMatchObject({
    Name: NAME,
    Scope: 'REGIONAL',
    DefaultAction: { Allow: {} },
    VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
  });
  const [rate, ...managed] = acl.Properties.Rules;
  expect(rate).toMatchObject({
    Name: 'RateLimitPerIp',
    Priority: 0,
    Action: { Block: {} },
    Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
  });
  expect(
    managed.map((r: { Statement: { ManagedRuleGroupStatement: object } }) => r.Statement),
  ).toEqual(
    MANAGED_RULE_GROUPS.map((Name) => ({ ManagedRuleGroupStatement: { VendorName: 'AWS', Name } })),
  );
  expect(MANAGED_RULE_GROUPS).toEqual([
    'AWSManagedRulesAmazonIpReputationList',
    'AWSManagedRulesCommonRuleSet',
    'AWSManagedRulesKnownBadInputsRuleSet',
    'AWSManagedRulesSQLiRuleSet',
  ]);
  for (const rule of managed) expect(rule.OverrideAction).toEqual({ None: {} });
  const priorities = acl.Properties.Rules.map((r: { Priority: number }) => r.Priority);
  expect(new Set(priorities).size).toBe(priorities.length);
});

test('associated with the protected resource', () => {
  const template = build();
  const [acl] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));
  template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
    ResourceArn: LB,
    WebACLArn: { 'Fn::GetAtt': [acl, 'Arn'] },
  });
});

test('logs to an aws-waf-logs- group (ARN without :*) under the logs key, retained', () => {
  const template = build();
  const name = `aws-waf-logs-${NAME}`;
  template.hasResource('AWS::Logs::LogGroup', {
    Properties: {
      LogGroupName: name,
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
    },
    DeletionPolicy: 'Retain',
  });
  template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
    LogDestinationConfigs: [`arn:aws:logs:ap-southeast-2:333333333333:log-group:${name}`],
    RedactedFields: [
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
    ],
  });
});
