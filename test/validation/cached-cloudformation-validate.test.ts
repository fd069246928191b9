import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { CachedCloudFormationValidatePlugin } from '../../lib/validation/cached-cloudformation-validate';
import { synthesizeDefaultPlatform } from '../support/cloud-assembly';

interface Manifest {
  artifacts: Record<
    string,
    {
      type: string;
      environment?: string;
      displayName?: string;
      properties?: { templateFile?: string };
    }
  >;
}

const subnet = (az: string) => ({
  Type: 'AWS::EC2::Subnet',
  Properties: { VpcId: 'vpc-12345678', CidrBlock: '10.0.0.0/24', AvailabilityZone: az },
});
const group = (description: string) => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: description, VpcId: 'vpc-12345678' },
});

/**
 * Templates with findings (the default platform has none): a hard-coded availability zone (a
 * warning) and a description the schema rejects (an error), in both orders, so that merging the
 * findings of several templates is compared too.
 */
function failingStacks(): IPolicyValidationContext['stackTemplates'] {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-validate-findings-'));
  const templates = {
    First: { SubnetA: subnet('ap-southeast-2a'), Group: group("Tenant's group") },
    Second: { Group: group("Driver's group"), SubnetB: subnet('ap-southeast-2b') },
    Third: { SubnetC: subnet('ap-southeast-2a') },
  };
  return Object.entries(templates).map(([name, resources]) => {
    const templatePath = join(dir, `${name}.template.json`);
    writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
    return {
      stackConstructPath: name,
      templatePath,
      accountId: '111111111111',
      region: 'ap-southeast-2',
    };
  });
}

/**
 * The context the CDK gives validation plugins, for two production stacks of the default platform
 * (the largest and the one with the most resource types; the built-in validation costs about half
 * a second per template, evaluated twice here, so not all forty).
 */
const REAL_STACKS = ['prod-apse2-Lifecycle', 'prod-apse2-Security'];

function platformStacks(): IPolicyValidationContext['stackTemplates'] {
  const { dir, succeeded, output } = synthesizeDefaultPlatform();
  if (!succeeded) throw new Error(`synth of the default platform failed:\n${output}`);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  return Object.entries(manifest.artifacts)
    .filter(([id, a]) => a.type === 'aws:cloudformation:stack' && REAL_STACKS.includes(id))
    .map(([id, a]) => {
      const [account, region] = (a.environment ?? '').replace('aws://', '').split('/');
      return {
        stackConstructPath: a.displayName ?? id,
        templatePath: join(dir, a.properties?.templateFile ?? `${id}.template.json`),
        accountId: account,
        region,
      };
    });
}

const contextOf = (stackTemplates: IPolicyValidationContext['stackTemplates']) =>
  ({
    templatePaths: stackTemplates.map((s) => s.templatePath),
    stackTemplates,
  }) as unknown as IPolicyValidationContext;

test('cached findings are identical to the built-in plugin, evaluated or read from the cache', () => {
  const [first, ...failing] = failingStacks();
  const context = contextOf([first, ...platformStacks(), ...failing]);
  expect(context.stackTemplates).toHaveLength(failing.length + 1 + REAL_STACKS.length);
  const cacheDir = mkdtempSync(join(tmpdir(), 'cfn-validate-cache-'));

  const builtIn = new CloudFormationValidatePlugin().validate(context);
  const evaluated = new CachedCloudFormationValidatePlugin({ cacheDir }).validate(context);
  expect(readdirSync(cacheDir)).toHaveLength(context.stackTemplates.length);
  const cached = new CachedCloudFormationValidatePlugin({ cacheDir }).validate(context);

  expect(builtIn.success).toBe(false);
  expect(builtIn.violations.map((v) => v.severity)).toEqual(
    expect.arrayContaining(['error', 'warning']),
  );
  expect(builtIn.violations.some((v) => v.violatingResources.length > 1)).toBe(true);
  expect(evaluated).toEqual(builtIn);
  expect(cached).toEqual(builtIn);
});

test('a cached result is used only for the same stack, account, region and content', () => {
  const one = failingStacks().slice(2);
  const context = contextOf(one);
  const cacheDir = mkdtempSync(join(tmpdir(), 'cfn-validate-cache-'));
  const plugin = new CachedCloudFormationValidatePlugin({ cacheDir });
  plugin.validate({ ...context, templatePaths: [one[0].templatePath], stackTemplates: one });
  plugin.validate({
    ...context,
    templatePaths: [one[0].templatePath],
    stackTemplates: [{ ...one[0], region: 'eu-west-1' }],
  });
  expect(readdirSync(cacheDir)).toHaveLength(2);
  writeFileSync(
    one[0].templatePath,
    JSON.stringify({ Resources: { S: subnet('ap-southeast-2c') } }),
  );
  const report = plugin.validate(context);
  expect(readdirSync(cacheDir)).toHaveLength(3);
  expect(JSON.stringify(report)).toContain('ap-southeast-2c');
});
