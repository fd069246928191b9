import type { Simulation } from '@cloud-copilot/iam-simulate';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { Outcome, Tally } from './support/tally';
import type { CfnTemplate, Json } from './support/templates';
import { ACCOUNT, resolver } from './support/templates';

type Context = Record<string, string | string[]>;

/** The tenant session role, its trust policy, its managed policies and the file bucket. */
function sessionOf(storage: CfnTemplate, security: CfnTemplate) {
  const resolve = resolver(storage, [security]);
  const entries = Object.entries(storage.Resources);
  const [roleId, role] = entries.find(
    ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('TenantSessionRole'),
  )!;
  const managed = ((role.Properties?.ManagedPolicyArns ?? []) as { Ref: string }[]).map(
    (arn) => resolve(storage.Resources[arn.Ref].Properties?.PolicyDocument) as Json,
  );
  // The file bucket: the object-locked bucket of the stack.
  const [, bucket] = entries.find(
    ([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties?.ObjectLockEnabled === true,
  )!;
  const vendingRole = `arn:aws:iam::${ACCOUNT}:role/${
    entries.find(
      ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('TenantSessionVendingRole'),
    )![0]
  }`;
  return {
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${String(role.Properties?.RoleName ?? roleId)}`,
    trust: resolve(role.Properties?.AssumeRolePolicyDocument) as Json,
    policies: managed,
    bucketArn: `arn:aws:s3:::${String(bucket.Properties?.BucketName)}`,
    vendingRole,
  };
}

async function decide(simulation: Simulation): Promise<string> {
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
  if (response.resultType !== 'single') throw new Error(`unexpected ${response.resultType}`);
  if (!response.result.ignoredContextKeys?.length) return response.overallResult;
  // The validated run checked policies, action and resource; decide with every key kept.
  return runUnsafeSimulation(simulation, {});
}

/**
 * The attacker's side of the files, decided by the IAM policy simulator on the synthesized
 * Storage template: the tenant session role's own policies for S3 requests by sessions tagged
 * (or not) with a tenant, and its trust policy for who may assume it and set the tag.
 */
export function filesAttacks(tally: Tally, templates: () => Record<string, CfnTemplate>) {
  let session: ReturnType<typeof sessionOf>;
  beforeAll(() => {
    const t = templates();
    session = sessionOf(t.storage, t.security);
  });

  async function attempt(name: string, expected: 'deny' | 'allow', simulation: () => Simulation) {
    const decision = await decide(simulation());
    const outcome: Outcome = decision === 'Allowed' ? 'allowed' : 'denied';
    tally.record({ area: 'files', name, expected, outcome, detail: decision });
  }

  const s3 = (action: string, resource: string, context: Context) => (): Simulation => ({
    request: {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/tenant-session/tenant-a`,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: session.policies.map((policy, i) => ({ name: `managed-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
  const tagA: Context = { 'aws:PrincipalTag/tenant-id': 'tenant-a' };
  const object = (key: string) => `${session.bucketArn}/${key}`;

  tally.test('a session tagged A cannot read, write, list or delete under B’s prefix', async () => {
    for (const key of ['tenants/tenant-b/manifests/M-1.pdf', 'tenants/tenant-ab/x.pdf']) {
      for (const action of [
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
      ]) {
        await attempt(`tag A ${action} ${key}`, 'deny', s3(action, object(key), tagA));
      }
    }
    for (const prefix of ['tenants/tenant-b/', 'tenants/', 'tenants/tenant-a']) {
      await attempt(
        `tag A ListBucket ${prefix}`,
        'deny',
        s3('s3:ListBucket', session.bucketArn, { ...tagA, 's3:prefix': prefix }),
      );
    }
  });

  tally.test('a session tagged A reads, writes and lists its own prefix', async () => {
    const own = object('tenants/tenant-a/manifests/M-1.pdf');
    await attempt('tag A GetObject own', 'allow', s3('s3:GetObject', own, tagA));
    await attempt('tag A PutObject own', 'allow', s3('s3:PutObject', own, tagA));
    await attempt(
      'tag A ListBucket own',
      'allow',
      s3('s3:ListBucket', session.bucketArn, { ...tagA, 's3:prefix': 'tenants/tenant-a/' }),
    );
  });

  tally.test('an untagged session is denied', async () => {
    const own = object('tenants/tenant-a/manifests/M-1.pdf');
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      await attempt(`untagged ${action}`, 'deny', s3(action, own, {}));
    }
    await attempt(
      'untagged ListBucket',
      'deny',
      s3('s3:ListBucket', session.bucketArn, { 's3:prefix': 'tenants/tenant-a/' }),
    );
  });

  const assume =
    (principal: string, action: string, tags: Record<string, string>) => (): Simulation => ({
      request: {
        principal,
        action,
        resource: { resource: session.roleArn, accountId: ACCOUNT },
        contextVariables: {
          ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
          ...(Object.keys(tags).length ? { 'aws:TagKeys': Object.keys(tags) } : {}),
        },
      },
      // The caller may do anything as far as its own account's policies go.
      identityPolicies: [
        {
          name: 'caller',
          policy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: session.trust,
    });

  tally.test(
    'only the vending function may assume the tenant session role and set the tenant tag',
    async () => {
      const tagged = { 'tenant-id': 'tenant-b' };
      await attempt(
        'vending function assumes with tenant-id',
        'allow',
        assume(session.vendingRole, 'sts:AssumeRole', tagged),
      );
      await attempt(
        'vending function tags with tenant-id',
        'allow',
        assume(session.vendingRole, 'sts:TagSession', tagged),
      );
      for (const caller of [
        `arn:aws:iam::${ACCOUNT}:role/prod-apse2-Lifecycle-DeactivateRole`,
        `arn:aws:iam::${ACCOUNT}:role/tenant-app-service`,
        `arn:aws:iam::${ACCOUNT}:user/engineer`,
        `arn:aws:sts::${ACCOUNT}:assumed-role/prod-apse2-Storage-tenant-session/tenant-a`,
      ]) {
        await attempt(
          `${caller} assumes with tenant-id`,
          'deny',
          assume(caller, 'sts:AssumeRole', tagged),
        );
        await attempt(
          `${caller} tags with tenant-id`,
          'deny',
          assume(caller, 'sts:TagSession', tagged),
        );
      }
      await attempt(
        'vending function assumes without a tag',
        'deny',
        assume(session.vendingRole, 'sts:AssumeRole', {}),
      );
      await attempt(
        'vending function with an empty tenant-id',
        'deny',
        assume(session.vendingRole, 'sts:TagSession', { 'tenant-id': '' }),
      );
      await attempt(
        'vending function with an extra tag',
        'deny',
        assume(session.vendingRole, 'sts:TagSession', { 'tenant-id': 'tenant-a', team: 'ops' }),
      );
    },
  );
}
