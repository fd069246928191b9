import { Match, Template } from 'aws-cdk-lib/assertions';
import { ThreatDetection } from '../../../lib/constructs/security/threat-detection';
import { bareStack } from '../../support/bare-stack';

function build(props: ConstructorParameters<typeof ThreatDetection>[2] = {}) {
  const stack = bareStack();
  new ThreatDetection(stack, 'ThreatDetection', props);
  return Template.fromStack(stack);
}

test('an enabled detector with every relevant protection plan', () => {
  const template = build();
  template.resourceCountIs('AWS::GuardDuty::Detector', 1);
  template.hasResourceProperties('AWS::GuardDuty::Detector', {
    Enable: true,
    FindingPublishingFrequency: 'FIFTEEN_MINUTES',
    Features: Match.arrayWith(
      [
        'S3_DATA_EVENTS',
        'EKS_AUDIT_LOGS',
        'EBS_MALWARE_PROTECTION',
        'RDS_LOGIN_EVENTS',
        'LAMBDA_NETWORK_LOGS',
      ].map((Name) => ({ Name, Status: 'ENABLED' })),
    ),
  });
  template.hasResourceProperties('AWS::GuardDuty::Detector', {
    Features: Match.arrayWith([
      {
        Name: 'RUNTIME_MONITORING',
        Status: 'ENABLED',
        AdditionalConfiguration: [
          { Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' },
          { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' },
          { Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' },
        ],
      },
    ]),
  });
});

test('no deprecated DataSources beside Features (GuardDuty refuses both)', () => {
  const [detector] = Object.values(build().findResources('AWS::GuardDuty::Detector'));
  expect(detector.Properties.DataSources).toBeUndefined();
});

test('the publishing frequency is configurable', () => {
  build({ findingPublishingFrequency: 'SIX_HOURS' }).hasResourceProperties(
    'AWS::GuardDuty::Detector',
    { FindingPublishingFrequency: 'SIX_HOURS' },
  );
});
