import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CREATED_BY_TAG } from '../../../lambda/restore-validation/aurora-check';
import { INSTANCE_PREFIX } from '../../../lambda/restore-validation/trigger';
import type { RestoreValidationAccessProps } from '../../../lib/constructs/backup/restore-validation-access';
import {
  RESTORE_TEST_PREFIX,
  RestoreValidationAccess,
} from '../../../lib/constructs/backup/restore-validation-access';
import { bareStack, TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';
import type { Decision, Physical } from '../../support/iam-simulation';
import { decideAndRecord, resolve } from '../../support/iam-simulation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DB_USER = 'restore_validator';
const SMALL_CLASS = 'db.t4g.medium';
const LIVE_CLUSTER = `arn:aws:rds:${TEST_REGION}:${TEST_ACCOUNT}:cluster:logi-prod-ap-southeast-2-aurora`;
const LIVE_RESOURCE_ID = 'cluster-LIVE0123456789ABCDEFGHIJ';
const RESTORED_RESOURCE_ID = 'cluster-RESTORED9876543210ZYXWV';
const OTHER_ACCOUNT = '999999999999';
const OTHER_REGION = 'ap-southeast-4';

function build(live: Partial<RestoreValidationAccessProps>) {
  const stack = bareStack();
  const access = new RestoreValidationAccess(stack, 'Access', {
    logGroup: new logs.LogGroup(stack, 'Logs', { logGroupName: '/restore-validation' }),
    filesKey: new kms.Key(stack, 'FilesKey'),
    deadLetterTopic: new sns.Topic(stack, 'DeadLetters'),
    deadLetterKey: new kms.Key(stack, 'DeadLettersKey'),
    dbUser: DB_USER,
    instanceClass: SMALL_CLASS,
    ...live,
  });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Record<string, Json> };
  const idOf = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as never);
  const policyId = idOf(access.policy);
  const statements = json.Resources[policyId].Properties.PolicyDocument.Statement as Json[];
  return { stack, access, template, json, idOf, policyId, statements };
}

const built = build({ liveClusterArn: LIVE_CLUSTER, liveClusterResourceId: LIVE_RESOURCE_ID });
const { access, template, json, idOf, statements } = built;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const allows = statements.filter((s) => s.Effect === 'Allow');
const denies = statements.filter((s) => s.Effect === 'Deny');
const bySid = (sid: string) => {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

const rds = (resource: string, region = TEST_REGION) =>
  `arn:aws:rds:${region}:${TEST_ACCOUNT}:${resource}`;
const RESTORED_CLUSTER = rds(`cluster:${RESTORE_TEST_PREFIX}aurora-1a2b3c`);
const OWN_INSTANCE = rds(`db:${INSTANCE_PREFIX}0123abcd`);
const LIVE_WRITER = rds('db:logi-prod-ap-southeast-2-aurora-writer');
const dbuser = (resourceId: string, user: string, region = TEST_REGION) =>
  `arn:aws:rds-db:${region}:${TEST_ACCOUNT}:dbuser:${resourceId}/${user}`;
const RESTORED_BUCKET = `arn:aws:s3:::${RESTORE_TEST_PREFIX}files-1a2b3c`;
const RESTORED_SENTINEL = `${RESTORED_BUCKET}/platform/restore-sentinel.json`;
const RECOVERY_POINT = `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:recovery-point:1a2b3c`;
const LIVE_FILE = 'arn:aws:s3:::logi-prod-ap-southeast-2-files/tenants/t1/invoice.pdf';

describe('RestoreValidationAccess: the role and its one policy', () => {
  it('only the Lambda service can assume the role', () => {
    const role = json.Resources[idOf(access.role)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  it('one customer-managed policy: no AWS managed policy, no inline policy, nothing else attached', () => {
    const role = json.Resources[idOf(access.role)];
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: built.policyId }]);
    expect(role.Properties.Policies).toBeUndefined();
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    expect(Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))).toEqual([
      built.policyId,
    ]);
  });
});

describe('RestoreValidationAccess: what the policy grants, as written', () => {
  it('exactly the actions the handler calls, and nothing else', () => {
    // lambda/restore-validation: validation.ts (DescribeRestoreJob, PutRestoreValidationResult),
    // aurora-check.ts (DescribeDBClusters, ModifyDBCluster for IAM auth, CreateDBInstance with
    // Tags, hence AddTagsToResource, DescribeDBInstances, DeleteDBInstance), database-query.ts
    // (rds-db:connect), bucket-check.ts (GetObject; ListBucket so a missing key is NoSuchKey),
    // the files key to read restored objects; the dead-letter topic and its key; its log group,
    // X-Ray and the VPC network interfaces of a function in a VPC.
    const granted = allows.flatMap((s) => list(s.Action) as string[]).sort();
    expect(granted).toEqual(
      [
        'backup:DescribeRestoreJob',
        'backup:PutRestoreValidationResult',
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:UnassignPrivateIpAddresses',
        'kms:Decrypt', // files key
        'kms:Decrypt', // dead-letter key
        'kms:GenerateDataKey', // dead-letter key
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'rds-db:connect',
        'rds:AddTagsToResource',
        'rds:CreateDBInstance',
        'rds:DeleteDBInstance',
        'rds:DescribeDBClusters',
        'rds:DescribeDBInstances',
        'rds:ModifyDBCluster',
        's3:GetObject',
        's3:ListBucket',
        'sns:Publish',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    for (const action of granted) expect(action).not.toMatch(/\*/);
    for (const s of statements) expect(s.NotAction ?? s.NotResource).toBeUndefined();
  });

  it('"*" only for actions without resource-level permissions: X-Ray, ENIs, the restore job calls', () => {
    const onStar = allows
      .filter((s) => list(s.Resource).includes('*'))
      .flatMap((s) => list(s.Action) as string[]);
    expect(onStar.filter((a) => !/^(xray|ec2):/.test(a)).sort()).toEqual([
      'backup:DescribeRestoreJob',
      'backup:PutRestoreValidationResult',
    ]);
    for (const s of allows.filter((x) => list(x.Resource).includes('*'))) {
      expect(list(s.Resource)).toEqual(['*']);
    }
  });

  it('RDS writes need a condition: created-by tag and the small class to create, the tag to delete', () => {
    const tagged = { [`aws:RequestTag/${CREATED_BY_TAG.Key}`]: CREATED_BY_TAG.Value };
    expect(bySid('AddSmallTaggedInstance').Condition).toEqual({
      StringEquals: { ...tagged, 'rds:DatabaseClass': SMALL_CLASS },
    });
    expect(bySid('TagOwnInstances').Condition).toEqual({ StringEquals: tagged });
    expect(bySid('RemoveOwnInstances').Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/${CREATED_BY_TAG.Key}`]: CREATED_BY_TAG.Value },
    });
    // ...the same tag the handler puts on the instance it adds and looks for before deleting.
    expect(CREATED_BY_TAG).toEqual({ Key: 'created-by', Value: 'restore-validation' });
  });

  it('restored buckets are read only in this account (a bucket squatted elsewhere with the prefix is not)', () => {
    expect(bySid('ReadRestoredBucketsOfThisAccount').Condition).toEqual({
      StringEquals: { 'aws:ResourceAccount': TEST_ACCOUNT },
    });
  });

  it('the live cluster: modify, add an instance, delete, and connect as any user are denied', () => {
    expect(denies).toHaveLength(2);
    expect(bySid('NeverTheLiveCluster')).toMatchObject({ Effect: 'Deny', Resource: LIVE_CLUSTER });
    expect(bySid('NeverConnectToTheLiveCluster')).toMatchObject({
      Effect: 'Deny',
      Action: 'rds-db:connect',
      Resource: dbuser(LIVE_RESOURCE_ID, '*'),
    });
    // Every RDS write the allows could reach on a cluster is among the denied ones.
    const denied = list(bySid('NeverTheLiveCluster').Action);
    const clusterWrites = allows
      .filter((s) => list(s.Resource).some((r) => String(r).includes(':cluster:')))
      .flatMap((s) => list(s.Action) as string[])
      .filter((a) => !a.startsWith('rds:Describe'));
    expect(clusterWrites.length).toBeGreaterThan(0);
    for (const action of clusterWrites) expect(denied).toContain(action);
    expect(denied).toContain('rds:DeleteDBCluster');
  });

  it('without a live cluster given, no deny is written (nothing to name)', () => {
    const bare = build({});
    expect(bare.statements.filter((s) => s.Effect === 'Deny')).toEqual([]);
    expect(bare.statements.map((s) => s.Sid)).toEqual(
      statements.filter((s) => s.Effect === 'Allow').map((s) => s.Sid),
    );
  });
});

describe('RestoreValidationAccess: the acknowledgements match the wildcards', () => {
  /** A resource as cdk-nag names it in an IAM5 finding: `<id.Attr>` for a GetAtt, joined. */
  const rendered = (r: unknown): string => {
    if (typeof r === 'string') return r;
    const node = r as Json;
    if (node['Fn::GetAtt']) return `<${node['Fn::GetAtt'].join('.')}>`;
    if (node.Ref) return `<${node.Ref}>`;
    if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(rendered).join('');
    throw new Error(`cannot render ${JSON.stringify(r)}`);
  };

  it('one IAM5 acknowledgement per wildcard resource of the policy, and none for a resource it lacks', () => {
    const wildcards = new Set(
      allows
        .flatMap((s) => list(s.Resource).map(rendered))
        .filter((r) => r.includes('*'))
        .map((r) => `AwsSolutions::AwsSolutions-IAM5[Resource::${r}]`),
    );
    const acknowledged = access.policy.node
      .defaultChild!.node.metadata.filter(
        (m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
      )
      .flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(new Set(acknowledged)).toEqual(wildcards);
    expect(acknowledged).toHaveLength(wildcards.size);
  });
});

describe('RestoreValidationAccess: decisions of the IAM policy simulator', () => {
  const physical: Physical = Object.fromEntries(
    Object.entries(json.Resources).map(([id, r]) => [
      id,
      {
        ref: r.Type === 'AWS::SNS::Topic' ? `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:${id}` : id,
        attributes: {
          Arn:
            r.Type === 'AWS::Logs::LogGroup'
              ? `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/restore-validation:*`
              : `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/${id}`,
        },
      },
    ]),
  );
  const policy = resolve(json.Resources[built.policyId].Properties.PolicyDocument, physical, {
    account: TEST_ACCOUNT,
    region: TEST_REGION,
  });
  const keyArn = (construct: 'FilesKey' | 'DeadLettersKey') =>
    `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/${idOf(built.stack.node.findChild(construct) as never)}`;
  const topicArn = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:${idOf(built.stack.node.findChild('DeadLetters') as never)}`;
  /** KMS decides on the key policy too: the template's own (IAM delegated to the account). */
  const keyPolicies = Object.fromEntries(
    Object.entries(json.Resources)
      .filter(([, r]) => r.Type === 'AWS::KMS::Key')
      .map(([id, r]) => [
        `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/${id}`,
        resolve(r.Properties.KeyPolicy, physical, { account: TEST_ACCOUNT, region: TEST_REGION }),
      ]),
  );
  const validator = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/restore-validation/fn`;

  const tag = { [`aws:RequestTag/${CREATED_BY_TAG.Key}`]: CREATED_BY_TAG.Value };
  const small = { ...tag, 'rds:DatabaseClass': SMALL_CLASS };
  const ours = { [`aws:ResourceTag/${CREATED_BY_TAG.Key}`]: CREATED_BY_TAG.Value };
  type Case = [string, string, Decision, Record<string, string>?, string?];
  const rows: Case[] = [
    // What the restore check needs.
    ['rds:DescribeDBClusters', RESTORED_CLUSTER, 'Allowed'],
    // (turns IAM auth on; IAM cannot narrow it to that setting, so it could also reset the
    // restored copy's master password: kept in view by this row)
    ['rds:ModifyDBCluster', RESTORED_CLUSTER, 'Allowed'],
    ['rds:CreateDBInstance', OWN_INSTANCE, 'Allowed', small],
    ['rds:CreateDBInstance', RESTORED_CLUSTER, 'Allowed', small],
    ['rds:AddTagsToResource', OWN_INSTANCE, 'Allowed', tag],
    ['rds:DescribeDBInstances', OWN_INSTANCE, 'Allowed'],
    ['rds:DeleteDBInstance', OWN_INSTANCE, 'Allowed', ours],
    ['rds-db:connect', dbuser(RESTORED_RESOURCE_ID, DB_USER), 'Allowed'],
    ['s3:GetObject', RESTORED_SENTINEL, 'Allowed'],
    ['s3:ListBucket', RESTORED_BUCKET, 'Allowed'],
    ['kms:Decrypt', keyArn('FilesKey'), 'Allowed'],
    ['sns:Publish', topicArn, 'Allowed'],
    ['kms:GenerateDataKey', keyArn('DeadLettersKey'), 'Allowed'],
    [
      'logs:PutLogEvents',
      `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/restore-validation:log-stream:2024/x`,
      'Allowed',
    ],
    ['backup:PutRestoreValidationResult', '*', 'Allowed'],
    // The live cluster: never, whatever the conditions say.
    ['rds:ModifyDBCluster', LIVE_CLUSTER, 'ExplicitlyDenied'],
    ['rds:CreateDBInstance', LIVE_CLUSTER, 'ExplicitlyDenied', small],
    ['rds:DeleteDBCluster', LIVE_CLUSTER, 'ExplicitlyDenied'],
    ['rds-db:connect', dbuser(LIVE_RESOURCE_ID, DB_USER), 'ExplicitlyDenied'],
    ['rds-db:connect', dbuser(LIVE_RESOURCE_ID, 'platform_bootstrap'), 'ExplicitlyDenied'],
    // A bigger instance, an untagged one, one on a cluster that is not a restore test.
    [
      'rds:CreateDBInstance',
      OWN_INSTANCE,
      'ImplicitlyDenied',
      { ...tag, 'rds:DatabaseClass': 'db.r6g.16xlarge' },
    ],
    [
      'rds:CreateDBInstance',
      OWN_INSTANCE,
      'ImplicitlyDenied',
      { 'rds:DatabaseClass': SMALL_CLASS },
    ],
    ['rds:CreateDBInstance', rds('db:my-own-instance'), 'ImplicitlyDenied', small],
    [
      'rds:CreateDBInstance',
      rds('cluster:logi-test-ap-southeast-2-aurora'),
      'ImplicitlyDenied',
      small,
    ],
    ['rds:ModifyDBCluster', rds('cluster:logi-test-ap-southeast-2-aurora'), 'ImplicitlyDenied'],
    [
      'rds:ModifyDBCluster',
      rds(`cluster:${RESTORE_TEST_PREFIX}x`, OTHER_REGION),
      'ImplicitlyDenied',
    ],
    // Removing or tagging what it did not create.
    ['rds:DeleteDBInstance', OWN_INSTANCE, 'ImplicitlyDenied'],
    ['rds:DeleteDBInstance', LIVE_WRITER, 'ImplicitlyDenied', ours],
    ['rds:AddTagsToResource', LIVE_WRITER, 'ImplicitlyDenied', tag],
    ['rds:AddTagsToResource', LIVE_CLUSTER, 'ImplicitlyDenied', tag],
    [
      'rds:AddTagsToResource',
      OWN_INSTANCE,
      'ImplicitlyDenied',
      { 'aws:RequestTag/created-by': 'me' },
    ],
    // The restored data stays where it is: no delete, snapshot, share or re-restore.
    ['rds:DeleteDBCluster', RESTORED_CLUSTER, 'ImplicitlyDenied'],
    ['rds:CreateDBClusterSnapshot', RESTORED_CLUSTER, 'ImplicitlyDenied'],
    ['rds:ModifyDBClusterSnapshotAttribute', rds('cluster-snapshot:s'), 'ImplicitlyDenied'],
    ['backup:StartRestoreJob', RECOVERY_POINT, 'ImplicitlyDenied'],
    ['backup:DeleteRecoveryPoint', RECOVERY_POINT, 'ImplicitlyDenied'],
    ['iam:PassRole', `arn:aws:iam::${TEST_ACCOUNT}:role/any`, 'ImplicitlyDenied'],
    // Log in as another database role, or in another region.
    ['rds-db:connect', dbuser(RESTORED_RESOURCE_ID, 'platform_bootstrap'), 'ImplicitlyDenied'],
    ['rds-db:connect', dbuser(RESTORED_RESOURCE_ID, 'app_user'), 'ImplicitlyDenied'],
    ['rds-db:connect', dbuser(RESTORED_RESOURCE_ID, DB_USER, OTHER_REGION), 'ImplicitlyDenied'],
    // Buckets: read only, restore tests only, this account only.
    ['s3:GetObject', RESTORED_SENTINEL, 'ImplicitlyDenied', undefined, OTHER_ACCOUNT],
    ['s3:GetObject', LIVE_FILE, 'ImplicitlyDenied'],
    ['s3:ListBucket', 'arn:aws:s3:::logi-prod-ap-southeast-2-files', 'ImplicitlyDenied'],
    ['s3:PutObject', RESTORED_SENTINEL, 'ImplicitlyDenied'],
    ['s3:DeleteObject', RESTORED_SENTINEL, 'ImplicitlyDenied'],
    ['s3:GetObjectVersion', RESTORED_SENTINEL, 'ImplicitlyDenied'],
    // Keys: decrypt restored files, no encrypting with them; no other key.
    ['kms:GenerateDataKey', keyArn('FilesKey'), 'ImplicitlyDenied'],
    ['kms:Encrypt', keyArn('FilesKey'), 'ImplicitlyDenied'],
    ['kms:Decrypt', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/another`, 'ImplicitlyDenied'],
    // Other topics, other log groups.
    ['sns:Publish', `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:another`, 'ImplicitlyDenied'],
    [
      'logs:PutLogEvents',
      `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/another:log-stream:x`,
      'ImplicitlyDenied',
    ],
  ];

  // Objects, not the ragged rows: Jest reads a row shorter than the test function's arity as a
  // test that waits for `done`.
  const cases = rows.map(([action, resource, expected, context, owner]) => ({
    action,
    resource,
    expected,
    context,
    owner: owner ?? TEST_ACCOUNT,
    given: [
      ...Object.entries(context ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(owner ? [`owner ${owner}`] : []),
    ].join(', '),
  }));

  it.each(cases)('$action on $resource [$given] -> $expected', async (c) => {
    const { action, resource, expected, context, owner } = c;
    const got = await decideAndRecord(
      'restore-validation-access',
      'validator',
      {
        principal: validator,
        action,
        resource,
        resourceAccount: owner,
        identityPolicies: [{ name: 'restore-validation', policy }],
        resourcePolicy: keyPolicies[resource],
        context,
      },
      expected,
    );
    expect(got).toBe(expected);
  });
});
