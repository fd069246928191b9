import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyViolation } from 'aws-cdk-lib';
import { CfnParameter, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Iso27001ChecksProps } from '@logistics-platform/cdk-iso27001';
import { acknowledge } from '../../../lib/compliance/acknowledge';
import {
  ANNEX_A_CONTROLS,
  controlIdInDescription,
  Iso27001Checks,
} from '@logistics-platform/cdk-iso27001';
import { testApp } from '../../support/app';
import { cfn, PRIMARY, PROD_ACCOUNT } from './rules/rule-harness';

const PROPS: Iso27001ChecksProps = {
  requiredTags: ['Environment', 'Owner'],
  allowedRegions: ['ap-southeast-2', 'ap-southeast-4'],
  minimumLogRetentionDays: 365,
  minimumBackupRetentionDays: 35,
  minimumKeyDeletionWindowDays: 30,
  environments: {
    dev: { account: '111111111111' },
    prod: { account: PROD_ACCOUNT, production: true },
  },
};

function violations(app: ReturnType<typeof testApp>, props: Iso27001ChecksProps = PROPS) {
  return new Iso27001Checks(app, props).validateScope(app).violations;
}

function byRule(list: readonly PolicyViolation[], ruleName: string): PolicyViolation {
  const found = list.find((v) => v.ruleName === ruleName);
  if (!found) throw new Error(`no ${ruleName} in ${list.map((v) => v.ruleName).join(', ')}`);
  return found;
}

describe('Iso27001Checks', () => {
  it('names each finding with its rule id and starts its description with the control', () => {
    const app = testApp();
    const stack = new Stack(app, 'prod-apse2-Storage', {
      env: { account: PROD_ACCOUNT, region: PRIMARY },
      tags: { Environment: 'prod', Owner: 'platform' },
    });
    new s3.Bucket(stack, 'Files', { removalPolicy: RemovalPolicy.DESTROY });
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_WEEK });

    const found = violations(app);
    const publicAccess = byRule(found, 'ISO.27001.2022-S3BucketInBackupSelection');
    expect(publicAccess.description).toBe(
      '[A.8.13] The bucket is not in any AWS Backup selection.',
    );
    expect(publicAccess.severity).toBe('error');
    expect(publicAccess.violatingResources[0].constructPath).toBe(
      'prod-apse2-Storage/Files/Resource',
    );
    expect(byRule(found, 'ISO.27001.2022-LogGroupRetentionMinimum').description).toMatch(
      /^\[A\.8\.15\] /,
    );
    expect(byRule(found, 'ISO.27001.2022-DataStoreRetainPolicy').description).toMatch(
      /^\[A\.5\.33\] /,
    );
    expect(byRule(found, 'ISO.27001.2022-ProductionTerminationProtection').description).toMatch(
      /^\[A\.8\.32\] /,
    );
    expect(byRule(found, 'ISO.27001.2022-S3BucketLoggingEnabled').description).toMatch(
      /^\[A\.8\.15\] /,
    );
    expect(found.map((v) => v.ruleName)).toContain(
      'ISO.27001.2022-DataStoreCustomerManagedKey[KmsKeyId]',
    );
    for (const v of found) expect(controlIdInDescription(v.description)).toMatch(/^A\.\d+\.\d+$/);
  });

  it('reports an unresolvable value as a not-checkable warning naming the resource, never a pass', () => {
    const app = testApp();
    const stack = new Stack(app, 'Data', { env: { account: PROD_ACCOUNT, region: PRIMARY } });
    const name = new CfnParameter(stack, 'TableName', { type: 'String' });
    cfn(stack, 'Tenants', 'AWS::DynamoDB::Table', { TableName: name.valueAsString });
    const pool = new cognito.UserPool(stack, 'Pool');
    const mfa = new CfnParameter(stack, 'Mfa', { type: 'String' });
    (pool.node.defaultChild as cognito.CfnUserPool).mfaConfiguration = mfa.valueAsString;
    cfn(stack, 'Selection', 'AWS::Backup::BackupSelection', {
      BackupPlanId: 'p',
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: ['arn:aws:dynamodb:*:*:table/logi-prod-*'],
      },
    });

    const found = violations(app, {});
    const own = byRule(
      found,
      'ISO.27001.2022-DynamoDBTableInBackupSelection-NotCheckable[TableName]',
    );
    expect(own.severity).toBe('warning');
    expect(own.description).toMatch(/^\[A\.8\.13\] Not checkable: DynamoDBTableInBackupSelection /);
    expect(own.violatingResources.map((r) => r.constructPath)).toEqual(['Data/Tenants']);
    expect(found.map((v) => v.ruleName)).not.toContain(
      'ISO.27001.2022-DynamoDBTableInBackupSelection',
    );
    // a reused cdk-nag rule that throws on the token becomes a warning too, not an error
    const reused = byRule(found, 'ISO.27001.2022-CognitoUserPoolMFA-NotCheckable[UnresolvedValue]');
    expect(reused.severity).toBe('warning');
    expect(reused.description).toMatch(/^\[A\.8\.5\] Not checkable:/);
  });

  it('reports a defect that makes a rule throw as an error naming the control, not a pass', () => {
    const app = testApp();
    const stack = new Stack(app, 'Boom', { env: { account: PROD_ACCOUNT, region: PRIMARY } });
    cfn(stack, 'Queue', 'AWS::SQS::Queue');
    const environmentOf = (): string => {
      throw new Error('environment lookup failed');
    };
    const found = violations(app, { environments: PROPS.environments, environmentOf });
    const error = byRule(found, 'ISO.27001.2022-StackInEnvironmentAccount-RuleError');
    expect(error.severity).toBe('error');
    expect(error.description).toMatch(
      /^\[A\.8\.31\] StackInEnvironmentAccount failed .*environment lookup failed$/,
    );
  });

  it('applies its documented defaults when no props are given', () => {
    const app = testApp();
    const stack = new Stack(app, 'Plain', { env: { account: PROD_ACCOUNT, region: 'us-east-1' } });
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_DAY });
    cfn(stack, 'Key', 'AWS::KMS::Key', {
      EnableKeyRotation: true,
      PendingWindowInDays: 7,
      KeyPolicy: {},
    });
    const names = violations(app, {}).map((v) => v.ruleName);
    // 365 days of logs, a 30-day key deletion window, owner/environment/classification tags
    expect(names).toEqual(
      expect.arrayContaining([
        'ISO.27001.2022-LogGroupRetentionMinimum',
        'ISO.27001.2022-KmsKeyDeletionWindow',
        'ISO.27001.2022-RequiredTags[Owner]',
        'ISO.27001.2022-RequiredTags[Environment]',
        'ISO.27001.2022-RequiredTags[DataClassification]',
      ]),
    );
    // any region and the stack's own account pass when none are configured: the stack names both
    for (const rule of ['AllowedRegion', 'StackInEnvironmentAccount']) {
      expect(names.filter((n) => n.startsWith(`ISO.27001.2022-${rule}`))).toEqual([]);
    }
    const agnostic = testApp();
    new logs.LogGroup(new Stack(agnostic, 'Agnostic'), 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
    });
    expect(violations(agnostic, {}).map((v) => v.ruleName)).toEqual(
      expect.arrayContaining([
        'ISO.27001.2022-AllowedRegion-NotCheckable[Stack.Region]',
        'ISO.27001.2022-StackInEnvironmentAccount-NotCheckable[Stack.Account]',
      ]),
    );
    expect(names).toContain('ISO.27001.2022-DataStoreCustomerManagedKey[KmsKeyId]');
    const configured = violations(app, { ...PROPS, environments: undefined }).map(
      (v) => v.ruleName,
    );
    expect(configured).toEqual(
      expect.arrayContaining([
        'ISO.27001.2022-AllowedRegion',
        'ISO.27001.2022-KmsKeyDeletionWindow',
      ]),
    );
  });

  it('honours an acknowledgement on the one resource it concerns', () => {
    const app = testApp();
    const stack = new Stack(app, 'Ack', { env: { account: PROD_ACCOUNT, region: PRIMARY } });
    const acked = new logs.LogGroup(stack, 'Acked', { retention: logs.RetentionDays.ONE_WEEK });
    new logs.LogGroup(stack, 'Other', { retention: logs.RetentionDays.ONE_WEEK });
    Validations.of(acked.node.defaultChild!).acknowledge({
      id: 'ISO.27001.2022-LogGroupRetentionMinimum',
      reason:
        'Debug logs only; the audit copy is exported to the object-locked archive for 7 years.',
    });
    const finding = byRule(violations(app), 'ISO.27001.2022-LogGroupRetentionMinimum');
    expect(finding.violatingResources.map((r) => r.constructPath)).toEqual(['Ack/Other/Resource']);
  });

  it('runs as a validation plugin at synth and fails it with ISO findings in the report', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'iso-'));
    // aws-cdk-lib's own template validation is other plugins' business (and slow): off here
    const app = testApp({
      outdir,
      context: { '@aws-cdk/core:validateAgainstDefaultRules': false },
    });
    const stack = new Stack(app, 'Synth', { env: { account: PROD_ACCOUNT, region: PRIMARY } });
    new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
    Validations.of(app).addPlugins(new Iso27001Checks(app, PROPS));
    expect(() => app.synth()).toThrow(/ISO\.27001\.2022-LogGroupRetentionBounded/);
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const iso = report.pluginReports.find(
      (p: { pluginName: string }) => p.pluginName === 'ISO.27001.2022',
    );
    expect(iso.conclusion).toBe('failure');
  });

  it("lets the project's acknowledge() helper clear a finding at synth", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'iso-ack-'));
    const app = testApp({
      outdir,
      context: { '@aws-cdk/core:validateAgainstDefaultRules': false },
    });
    const stack = new Stack(app, 'Acked', {
      env: { account: PROD_ACCOUNT, region: PRIMARY },
      terminationProtection: true,
    });
    const group = new logs.LogGroup(stack, 'Forever', {
      retention: logs.RetentionDays.INFINITE,
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    });
    acknowledge(
      group,
      'ISO.27001.2022',
      'ISO.27001.2022-LogGroupRetentionBounded',
      'Audit log group: kept forever on purpose under the records retention schedule (A.5.33).',
    );
    // the one finding there is: validateScope does not read namespaced acknowledgements, synth does
    const pack = new Iso27001Checks(app, { requiredTags: [] }); // tags relaxed explicitly
    expect(pack.validateScope(app).violations.map((v) => v.ruleName)).toEqual([
      'ISO.27001.2022-LogGroupRetentionBounded',
    ]);
    Validations.of(app).addPlugins(pack);
    expect(() => app.synth()).not.toThrow();
  });

  it('finds every table outside a backup selection across stacks, and no bucket inside one', () => {
    // Its speed over a 35-stack app is measured by `npm run bench:iso-pack`, not here.
    const STACKS = 3;
    const app = testApp();
    for (let i = 0; i < STACKS; i++) {
      const stack = new Stack(app, `S${i}`, {
        env: { account: PROD_ACCOUNT, region: PRIMARY },
        tags: { Environment: 'prod' },
      });
      for (let j = 0; j < 25; j++) {
        cfn(stack, `B${j}`, 'AWS::S3::Bucket', { BucketName: `logi-prod-${i}-${j}` });
        cfn(stack, `T${j}`, 'AWS::DynamoDB::Table', { TableName: `logi-prod-${i}-${j}` });
        cfn(stack, `L${j}`, 'AWS::Logs::LogGroup', { RetentionInDays: 400 });
      }
      cfn(stack, 'Selection', 'AWS::Backup::BackupSelection', {
        BackupPlanId: 'p',
        BackupSelection: {
          SelectionName: 's',
          IamRoleArn: 'r',
          Resources: [`arn:aws:s3:::logi-prod-${i}-*`],
        },
      });
    }
    const found = violations(app);
    expect(
      byRule(found, 'ISO.27001.2022-DynamoDBTableInBackupSelection').violatingResources,
    ).toHaveLength(STACKS * 25);
    expect(found.map((v) => v.ruleName)).not.toContain('ISO.27001.2022-S3BucketInBackupSelection');
  });
});

describe('controls catalogue', () => {
  const pack = new Iso27001Checks(undefined, PROPS);
  const catalogued = ANNEX_A_CONTROLS.flatMap((c) => c.rules);

  it('lists the 93 Annex A controls once each', () => {
    expect(ANNEX_A_CONTROLS).toHaveLength(93);
    expect(new Set(ANNEX_A_CONTROLS.map((c) => c.id)).size).toBe(93);
    expect(ANNEX_A_CONTROLS.filter((c) => c.theme === 'Technological')).toHaveLength(34);
  });

  it('maps every pack rule to exactly one control, and lists no rule the pack lacks', () => {
    const packRules = pack.ruleIds.map((id) => id.replace('ISO.27001.2022-', ''));
    expect(new Set(catalogued).size).toBe(catalogued.length);
    expect([...catalogued].sort()).toEqual([...packRules].sort());
  });

  it('has a rule test naming every pack rule', () => {
    const dir = join(__dirname, 'rules');
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => readFileSync(join(dir, file), 'utf8'))
      .join('\n');
    // factories are camel-case (requiredTags for RequiredTags): compare case-insensitively
    const untested = catalogued.filter((rule) => !new RegExp(`\\b${rule}\\b`, 'i').test(sources));
    expect(untested).toEqual([]);
  });

  it('is what docs/compliance/iso27001.md states, control by control', () => {
    const doc = readFileSync(
      join(__dirname, '..', '..', '..', 'docs', 'compliance', 'iso27001.md'),
      'utf8',
    );
    const rows = doc.split('\n').filter((line) => line.startsWith('| '));
    for (const control of ANNEX_A_CONTROLS) {
      const soaRow = rows.find((line) => line.startsWith(`| ${control.id} `));
      expect(soaRow).toBeDefined();
      const inRow = [...(soaRow ?? '').matchAll(/ISO\.27001\.2022-(\w+)/g)].map((m) => m[1]);
      expect({ control: control.id, rules: inRow }).toEqual({
        control: control.id,
        rules: [...control.rules],
      });
      for (const rule of control.rules) {
        const ruleRow = rows.find((line) => line.startsWith(`| \`${rule}\` `));
        expect({ rule, control: ruleRow?.split('|')[2].trim() }).toEqual({
          rule,
          control: control.id,
        });
      }
    }
  });

  it('covers the controls issue 5 requires', () => {
    const required = [
      'A.5.15',
      'A.5.23',
      'A.5.30',
      'A.5.33',
      'A.8.5',
      'A.8.10',
      'A.8.12',
      'A.8.13',
      'A.8.14',
      'A.8.15',
      'A.8.16',
      'A.8.20',
      'A.8.21',
      'A.8.22',
      'A.8.24',
      'A.8.31',
      'A.8.32',
    ];
    for (const id of required)
      expect(ANNEX_A_CONTROLS.find((c) => c.id === id)?.rules.length).toBeGreaterThan(0);
  });
});

describe('Iso27001Checks evaluations', () => {
  it('counts per rule the resources it evaluated, and writes them beside the templates at synth', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'iso-evaluations-'));
    const app = testApp({
      outdir,
      context: { '@aws-cdk/core:validateAgainstDefaultRules': false },
    });
    const stack = new Stack(app, 'Evidence', { env: { account: PROD_ACCOUNT, region: PRIMARY } });
    new logs.LogGroup(stack, 'Year', { retention: logs.RetentionDays.ONE_YEAR });
    new logs.LogGroup(stack, 'Week', { retention: logs.RetentionDays.ONE_WEEK });
    Validations.of(app).addPlugins(new Iso27001Checks(app, { requiredTags: [] }));
    expect(() => app.synth()).toThrow(/LogGroupRetentionMinimum/);

    const written = JSON.parse(
      readFileSync(join(outdir, 'compliance', 'iso27001-evaluations.json'), 'utf8'),
    ) as {
      rules: {
        rule: string;
        evaluated: number;
        compliant: number;
        nonCompliant: number;
        byStack: Record<string, number>;
      }[];
    };
    const rule = (name: string) => written.rules.find((r) => r.rule === name);
    expect(rule('LogGroupRetentionMinimum')).toMatchObject({
      evaluated: 2,
      compliant: 1,
      nonCompliant: 1,
      byStack: { Evidence: 2 },
    });
    expect(rule('GuardDutyDetectorEnabled')).toMatchObject({ evaluated: 0 });
    expect(rule('RequiredTags')).toMatchObject({ evaluated: 0 }); // relaxed explicitly
  });
});
