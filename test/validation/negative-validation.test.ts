import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { addValidationPlugins } from '../../lib/validation/validators';
import { DEFAULT_CONFIG } from '../../lib/config';
import { testApp } from '../support/app';

// This test checks the built-in CloudFormation validation too (test/setup turns it off for speed).
beforeAll(() => {
  delete process.env.CDK_VALIDATION;
});
afterAll(() => {
  process.env.CDK_VALIDATION = 'false';
});

/** The wiring can fail: a deliberately non-compliant stack stops synth and the report names rules. */
test('a non-compliant bucket makes synth fail and the report names the rules', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'negative-'));
  const app = testApp({ outdir });
  const stack = new Stack(app, 'NonCompliant', {
    env: { account: '111111111111', region: 'ap-southeast-2' },
  });
  new s3.Bucket(stack, 'PlainBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: false,
  });
  // A value the CloudFormation schema rejects: built-in validation, its default rules as errors.
  new ec2.CfnSecurityGroup(stack, 'BadDescription', {
    groupDescription: "Tenant's group",
    vpcId: 'vpc-12345678',
  });
  addValidationPlugins(app, DEFAULT_CONFIG.compliance);

  expect(() => app.synth()).toThrow(/AwsSolutions-S1'/);

  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  const failed = report.pluginReports
    .filter((p: { conclusion: string }) => p.conclusion === 'failure')
    .map((p: { pluginName: string }) => p.pluginName);
  expect(failed).toEqual(
    expect.arrayContaining([
      'AwsSolutions',
      'NIST.800.53.R5',
      'cdk-validator-cfnguard',
      'CloudFormation Validate',
    ]),
  );
  const rules = report.pluginReports.flatMap((p: { violations: { ruleName: string }[] }) =>
    p.violations.map((v) => v.ruleName),
  );
  expect(rules).toEqual(
    expect.arrayContaining([
      'AwsSolutions-S1', // no server access logs
      'AwsSolutions-S10', // no TLS-only policy
      'NIST.800.53.R5-S3BucketVersioningEnabled',
    ]),
  );
});
