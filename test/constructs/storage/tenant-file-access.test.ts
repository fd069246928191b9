import type { Simulation } from '@cloud-copilot/iam-simulate';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { TenantFileAccessProps } from '../../../lib/constructs/storage/tenant-file-access';
import { TenantFileAccess } from '../../../lib/constructs/storage/tenant-file-access';
import { testApp } from '../../support/app';

/**
 * The ABAC policy is synthesized with CDK, its intrinsic functions resolved to concrete ARNs, and
 * then every decision is made by the IAM policy simulator (@cloud-copilot/iam-simulate).
 */
const ACCOUNT = '111111111111';
const REGION = 'ap-southeast-2';
const BUCKET = 'logistics-prod-apse2-files';
const KEY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/tenant-app/driver-app-session`;

type Json = unknown;
type CfnTemplate = {
  Resources: Record<string, { Type: string; Properties?: Record<string, Json> }>;
};

/** Resolves the few intrinsics of this template (Ref, Fn::GetAtt ... Arn, Fn::Join). */
function resolve(value: Json, template: CfnTemplate): Json {
  if (Array.isArray(value)) return value.map((v) => resolve(v, template));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, Json>;
  const physical: Record<string, { ref: string; arn: string }> = {
    'AWS::S3::Bucket': { ref: BUCKET, arn: BUCKET_ARN },
    'AWS::KMS::Key': { ref: KEY_ID, arn: KEY_ARN },
  };
  const typeOf = (id: string) => physical[template.Resources[id]?.Type];
  if ('Ref' in node) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const ref = pseudo[node.Ref as string] ?? typeOf(node.Ref as string)?.ref;
    if (!ref) throw new Error(`cannot resolve Ref ${String(node.Ref)}`);
    return ref;
  }
  if ('Fn::GetAtt' in node) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    const arn = attribute === 'Arn' ? typeOf(id)?.arn : undefined;
    if (!arn) throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
    return arn;
  }
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, Json[]];
    return parts.map((p) => resolve(p, template)).join(separator);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, template)]));
}

function synthesize(props: Partial<TenantFileAccessProps> = {}) {
  const stack = new Stack(testApp(), 'TenantFiles', { env: { account: ACCOUNT, region: REGION } });
  const key = new kms.Key(stack, 'FilesKey', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Files', { encryptionKey: key, bucketKeyEnabled: true });
  const role = new iam.Role(stack, 'TenantApp', { assumedBy: new iam.AccountRootPrincipal() });
  new TenantFileAccess(stack, 'TenantFileAccess', { bucket, ...props }).grantTo(role);
  const template = Template.fromStack(stack);
  const json = template.toJSON() as CfnTemplate;
  const find = (type: string) => Object.values(json.Resources).filter((r) => r.Type === type);
  const [managed] = find('AWS::IAM::ManagedPolicy');
  const [keyResource] = find('AWS::KMS::Key');
  return {
    template,
    policy: resolve(managed.Properties?.PolicyDocument, json),
    keyPolicy: resolve(keyResource.Properties?.KeyPolicy, json),
  };
}

type Tags = Record<string, string>;

async function decide(
  policy: Json,
  action: string,
  resource: string,
  context: Tags,
  resourcePolicy?: Json,
  contextKeysTheSimulatorDrops: readonly string[] = [],
): Promise<string> {
  const simulation: Simulation = {
    request: {
      principal: SESSION,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: [{ name: 'tenant-file-access', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
  if (response.resultType !== 'single') throw new Error(`unexpected ${response.resultType} result`);
  // A context key the simulator drops as not applicable would make a decision meaningless.
  const ignored = response.result.ignoredContextKeys ?? [];
  expect(ignored.filter((k) => !contextKeysTheSimulatorDrops.includes(k))).toEqual([]);
  if (!ignored.length) return response.overallResult;
  // The validated run above checked policies, action and resource; decide with every key kept.
  return runUnsafeSimulation(simulation, {});
}

const tenantA: Tags = { 'aws:PrincipalTag/tenant-id': 'tenant-a' };
const object = (key: string) => `${BUCKET_ARN}/${key}`;

describe('TenantFileAccess (decisions by the IAM policy simulator)', () => {
  const readWrite = synthesize({ allowWrite: true });
  const readOnly = synthesize();
  const can = (action: string, resource: string, context: Tags = tenantA, p = readWrite.policy) =>
    decide(p, action, resource, context);

  it('allows reading and writing files in the tenant’s own folder', async () => {
    const own = object('tenants/tenant-a/manifests/2026/03/M-1001.pdf');
    expect(await can('s3:GetObject', own)).toBe('Allowed');
    expect(await can('s3:PutObject', own)).toBe('Allowed');
    expect(await can('s3:PutObject', object('tenants/tenant-a/pod/signature.png'))).toBe('Allowed');
  });

  it('denies another tenant’s files, including a tenant whose id starts with the same text', async () => {
    for (const key of [
      'tenants/tenant-b/invoices/INV-7.pdf',
      'tenants/tenant-ab/photos/1.jpg',
      'tenants/tenant-a',
      'tenants/other.csv',
      'exports/tenant-a/all.zip',
    ]) {
      expect(await can('s3:GetObject', object(key))).toBe('ImplicitlyDenied');
      expect(await can('s3:PutObject', object(key))).toBe('ImplicitlyDenied');
    }
  });

  it('never allows deleting, changing retention or reading old versions, even in the own folder', async () => {
    const own = object('tenants/tenant-a/manifests/M-1.pdf');
    for (const action of [
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:GetObjectVersion',
      's3:PutObjectRetention',
      's3:BypassGovernanceRetention',
    ]) {
      expect(await can(action, own)).toBe('ImplicitlyDenied');
    }
  });

  it('lists only with a prefix inside the tenant’s own folder', async () => {
    const list = (prefix?: string) =>
      can(
        's3:ListBucket',
        BUCKET_ARN,
        prefix === undefined ? tenantA : { ...tenantA, 's3:prefix': prefix },
      );
    expect(await list('tenants/tenant-a/')).toBe('Allowed');
    expect(await list('tenants/tenant-a/manifests/2026/')).toBe('Allowed');
    expect(await list()).toBe('ImplicitlyDenied');
    expect(await list('')).toBe('ImplicitlyDenied');
    expect(await list('tenants/')).toBe('ImplicitlyDenied');
    expect(await list('tenants/tenant-a')).toBe('ImplicitlyDenied'); // would also list tenant-ab
    expect(await list('tenants/tenant-b/')).toBe('ImplicitlyDenied');
  });

  it('explicitly denies everything on the bucket to a session without the tenant tag', async () => {
    const untagged: Tags = { 'aws:PrincipalTag/team': 'ops' };
    for (const [action, resource] of [
      ['s3:GetObject', object('tenants/tenant-a/manifests/M-1.pdf')],
      ['s3:PutObject', object('tenants/tenant-a/manifests/M-1.pdf')],
      ['s3:GetObject', object('tenants//x')],
      ['s3:ListBucket', BUCKET_ARN],
      ['s3:PutBucketPolicy', BUCKET_ARN],
    ]) {
      expect(await can(action, resource, {})).toBe('ExplicitlyDenied');
      expect(await can(action, resource, untagged)).toBe('ExplicitlyDenied');
    }
  });

  it('explicitly denies a session whose tag is empty or contains "/"', async () => {
    const nested = { 'aws:PrincipalTag/tenant-id': 'tenant-a/manifests' };
    expect(await can('s3:GetObject', object('tenants/tenant-a/manifests/M.pdf'), nested)).toBe(
      'ExplicitlyDenied',
    );
    const empty = { 'aws:PrincipalTag/tenant-id': '' };
    expect(await can('s3:GetObject', object('tenants//M.pdf'), empty)).toBe('ExplicitlyDenied');
  });

  it('is read-only unless writing is allowed', async () => {
    const own = object('tenants/tenant-a/photos/1.jpg');
    expect(await can('s3:GetObject', own, tenantA, readOnly.policy)).toBe('Allowed');
    expect(await can('s3:PutObject', own, tenantA, readOnly.policy)).toBe('ImplicitlyDenied');
  });

  it('allows the files key only through S3, for this bucket and tenant', async () => {
    const S3_CONTEXT = 'kms:EncryptionContext:aws:s3:arn';
    const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
    // The simulator's validated mode drops kms:EncryptionContext:<key> keys (it only matches
    // variable keys of the form prefix/name), so those decisions come from its unvalidated mode.
    const kmsCall = (action: string, context: Tags, p = readWrite) =>
      decide(p.policy, action, KEY_ARN, context, p.keyPolicy, [S3_CONTEXT]);
    const bucketContext = { ...tenantA, ...viaS3, [S3_CONTEXT]: BUCKET_ARN };
    expect(await kmsCall('kms:Decrypt', bucketContext)).toBe('Allowed');
    expect(await kmsCall('kms:GenerateDataKey', bucketContext)).toBe('Allowed');
    expect(await kmsCall('kms:GenerateDataKey', bucketContext, readOnly)).toBe('ImplicitlyDenied');
    const direct = { ...tenantA, [S3_CONTEXT]: BUCKET_ARN };
    expect(await kmsCall('kms:Decrypt', direct)).toBe('ImplicitlyDenied');
    const otherBucket = { ...bucketContext, [S3_CONTEXT]: 'arn:aws:s3:::x' };
    expect(await kmsCall('kms:Decrypt', otherBucket)).toBe('ImplicitlyDenied');
    const ownObject = { ...bucketContext, [S3_CONTEXT]: object('tenants/tenant-a/x.pdf') };
    expect(await kmsCall('kms:Decrypt', ownObject)).toBe('Allowed');
    const otherTenant = {
      ...bucketContext,
      [S3_CONTEXT]: object('tenants/tenant-b/x.pdf'),
    };
    expect(await kmsCall('kms:Decrypt', otherTenant)).toBe('ImplicitlyDenied');
  });

  it('synthesizes one managed policy attached to the role, with the tag variable in the ARN', () => {
    readWrite.template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    expect(JSON.stringify(readWrite.policy)).toContain(
      `${BUCKET_ARN}/tenants/\${aws:PrincipalTag/tenant-id}/*`,
    );
  });

  it('rejects a prefix root without a trailing slash and an invalid tag key', () => {
    expect(() => synthesize({ prefixRoot: 'tenants' })).toThrow(/prefixRoot must be/);
    expect(() => synthesize({ tagKey: 'aws:tenant' })).toThrow(/tagKey must be/);
  });
});
