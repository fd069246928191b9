import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  SECURITY_ALERT_PATTERNS,
  SecurityAlerts,
} from '../../../lib/constructs/security/security-alerts';
import { bareStack } from '../../support/bare-stack';

function build() {
  const stack = bareStack();
  new SecurityAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'OnCall') });
  return Template.fromStack(stack);
}

test('exactly one rule per pattern, each sending to the topic', () => {
  const template = build();
  const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
  const rules = Object.values(template.findResources('AWS::Events::Rule'));
  expect(rules).toHaveLength(Object.keys(SECURITY_ALERT_PATTERNS).length);
  for (const rule of rules) {
    expect(rule.Properties.State).toBe('ENABLED');
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topic } })]);
  }
});

test.each([
  [
    'GuardDutyHighSeverity',
    { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7] }] } },
  ],
  [
    'SecurityHubHighCritical',
    {
      source: ['aws.securityhub'],
      detail: {
        findings: {
          Severity: { Label: ['HIGH', 'CRITICAL'] },
          Workflow: { Status: ['NEW'] },
          RecordState: ['ACTIVE'],
        },
      },
    },
  ],
  ['RootSignIn', { source: ['aws.signin'], detail: { userIdentity: { type: ['Root'] } } }],
  [
    'SignInWithoutMfa',
    {
      source: ['aws.signin'],
      detail: {
        additionalEventData: { MFAUsed: ['No'] },
        userIdentity: { type: ['IAMUser', 'Root'] },
      },
    },
  ],
])('%s matches its events', (name, pattern) => {
  const rules = Object.values(build().findResources('AWS::Events::Rule'));
  const rule = rules.find((r) => r.Properties.Description === `Sends ${name} events to on-call`);
  expect(rule?.Properties.EventPattern).toMatchObject(pattern);
});
