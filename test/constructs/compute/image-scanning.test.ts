import { NagRuleCompliance } from 'cdk-nag';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageScanning } from '../../../lib/constructs/compute/image-scanning';
import { ContainerImageScanning } from '../../../packages/cdk-iso27001/src/iso27001/rules';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(frequency?: 'CONTINUOUS_SCAN' | 'SCAN_ON_PUSH') {
  const stack = bareStack();
  new ImageScanning(stack, 'ImageScanning', frequency ? { frequency } : {});
  const configurations = Object.values(
    Template.fromStack(stack).findResources('AWS::ECR::RegistryScanningConfiguration'),
  ).map((r) => r.Properties as Json);
  return { configurations };
}

const defaults = build();

test('by default: enhanced (Inspector) scanning, re-scanned continuously as vulnerabilities are published', () => {
  expect(defaults.configurations).toHaveLength(1);
  const [configuration] = defaults.configurations;
  expect(configuration.ScanType).toBe('ENHANCED');
  expect(configuration.Rules.map((r: Json) => r.ScanFrequency)).toEqual(['CONTINUOUS_SCAN']);
});

test('registry-wide: the one rule matches every repository, the CDK bootstrap one included', () => {
  const [configuration] = defaults.configurations;
  expect(configuration.Rules).toEqual([
    expect.objectContaining({ RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }),
  ]);
});

test('SCAN_ON_PUSH is honoured, still enhanced and still over every repository', () => {
  const [configuration] = build('SCAN_ON_PUSH').configurations;
  expect(configuration).toEqual({
    ScanType: 'ENHANCED',
    Rules: [
      {
        ScanFrequency: 'SCAN_ON_PUSH',
        RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }],
      },
    ],
  });
});

test('the ISO pack counts it: a repository of the account without scan-on-push passes A.8.8', () => {
  const withScanning = bareStack();
  new ImageScanning(withScanning, 'ImageScanning');
  const covered = new ecr.Repository(withScanning, 'Repo');
  expect(ContainerImageScanning(covered.node.defaultChild as ecr.CfnRepository)).toBe(
    NagRuleCompliance.COMPLIANT,
  );
  // The same repository without the registry setting is a finding: the construct is what passes.
  const without = bareStack();
  const uncovered = new ecr.Repository(without, 'Repo');
  expect(ContainerImageScanning(uncovered.node.defaultChild as ecr.CfnRepository)).toBe(
    NagRuleCompliance.NON_COMPLIANT,
  );
});
