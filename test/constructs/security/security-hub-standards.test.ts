import { Template } from 'aws-cdk-lib/assertions';
import { SecurityHubStandards } from '../../../lib/constructs/security/security-hub-standards';
import { bareStack } from '../../support/bare-stack';

test.each(['ap-southeast-2', 'ap-southeast-4'])(
  '%s: FSBP and NIST 800-53 rev. 5 with regional ARNs, after a hub without default standards',
  (region) => {
    const stack = bareStack(region);
    new SecurityHubStandards(stack, 'SecurityHub');
    const template = Template.fromStack(stack);
    const hubs = template.findResources('AWS::SecurityHub::Hub', {
      Properties: {
        EnableDefaultStandards: false,
        ControlFindingGenerator: 'SECURITY_CONTROL',
        AutoEnableControls: true,
      },
    });
    expect(Object.keys(hubs)).toHaveLength(1);
    const standards = Object.values(template.findResources('AWS::SecurityHub::Standard'));
    expect(standards.map((s) => s.Properties.StandardsArn)).toEqual([
      `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
      `arn:aws:securityhub:${region}::standards/nist-800-53/v/5.0.0`,
    ]);
    for (const standard of standards) expect(standard.DependsOn).toContain(Object.keys(hubs)[0]);
  },
);

test('a finding aggregator links the named regions, after the hub; none without them', () => {
  const stack = bareStack('ap-southeast-2');
  new SecurityHubStandards(stack, 'SecurityHub', { aggregatedRegions: ['ap-southeast-4'] });
  const template = Template.fromStack(stack);
  const [hub] = Object.keys(template.findResources('AWS::SecurityHub::Hub'));
  const aggregators = Object.values(template.findResources('AWS::SecurityHub::FindingAggregator'));
  expect(aggregators).toEqual([
    {
      Type: 'AWS::SecurityHub::FindingAggregator',
      Properties: { RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: ['ap-southeast-4'] },
      DependsOn: [hub],
    },
  ]);

  const single = bareStack('ap-southeast-2');
  new SecurityHubStandards(single, 'SecurityHub');
  Template.fromStack(single).resourceCountIs('AWS::SecurityHub::FindingAggregator', 0);
});
