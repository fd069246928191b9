/**
 * ISO pack benchmark: the pack's evaluation time over apps of growing size (stacks of 25 buckets,
 * 25 tables and 25 log groups each, and one backup selection naming the buckets), in-process, as
 * the pack runs at synth. The time should grow about linearly with the resource count: a rule that
 * rebuilt an index of the app per call would make it grow with its square. Prints the seconds and
 * the ratio of time to resources against the smallest app; asserts nothing.
 *
 *   npm run bench:iso-pack
 */
import type { App } from 'aws-cdk-lib';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { Iso27001Checks } from '@logistics-platform/cdk-iso27001';
import { testApp } from '../test/support/app';

const ACCOUNT = '333333333333';
const SIZES = (process.env.ISO_BENCH_STACKS ?? '5,15,35').split(',').map(Number);

function appOf(stacks: number): { app: App; resources: number } {
  const app = testApp();
  for (let i = 0; i < stacks; i++) {
    const stack = new Stack(app, `S${i}`, {
      env: { account: ACCOUNT, region: 'ap-southeast-2' },
      tags: { Environment: 'prod', Owner: 'platform' },
    });
    const add = (id: string, type: string, properties: Record<string, unknown>) =>
      new CfnResource(stack, id, { type, properties });
    for (let j = 0; j < 25; j++) {
      add(`B${j}`, 'AWS::S3::Bucket', { BucketName: `logi-prod-${i}-${j}` });
      add(`T${j}`, 'AWS::DynamoDB::Table', { TableName: `logi-prod-${i}-${j}` });
      add(`L${j}`, 'AWS::Logs::LogGroup', { RetentionInDays: 400 });
    }
    add('Selection', 'AWS::Backup::BackupSelection', {
      BackupPlanId: 'p',
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: [`arn:aws:s3:::logi-prod-${i}-*`],
      },
    });
  }
  return { app, resources: stacks * 76 };
}

function measure(stacks: number) {
  const { app, resources } = appOf(stacks);
  const pack = new Iso27001Checks(app, {
    requiredTags: ['Environment', 'Owner'],
    allowedRegions: ['ap-southeast-2'],
    environments: { prod: { account: ACCOUNT, production: true } },
  });
  const start = performance.now();
  const found = pack.validateScope(app).violations;
  const seconds = (performance.now() - start) / 1000;
  return { stacks, resources, seconds, findings: found.length };
}

measure(SIZES[0]!); // warm-up: the first run pays for compiling the pack's code
const figures = SIZES.map(measure);
const base = figures[0]!;
console.log('ISO pack evaluation (in-process, one run per size)');
for (const f of figures) {
  const perResource = f.seconds / f.resources / (base.seconds / base.resources);
  console.log(
    `  ${String(f.stacks).padStart(3)} stacks, ${String(f.resources).padStart(5)} resources: ` +
      `${f.seconds.toFixed(2)} s, ${f.findings} rules with findings, ` +
      `time per resource x${perResource.toFixed(2)} of the ${base.stacks}-stack app`,
  );
}
