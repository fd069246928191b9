import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RestoreTesting } from '../../../lib/constructs/backup/restore-testing';
import { bareStack, TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';
import type { CfnTemplate, Decision, Physical } from '../../support/iam-simulation';
import { ADMINISTRATOR_POLICY, decideAndRecord, resolve } from '../../support/iam-simulation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const LIVE_RESOURCE_ID = 'cluster-LIVE0123456789ABCDEFGHIJ';
const RESTORED_RESOURCE_ID = 'cluster-RESTORED9876543210ZYXWV';
const OTHER_ACCOUNT = '999999999999';
const LIVE_CLUSTER = `arn:aws:rds:${TEST_REGION}:${TEST_ACCOUNT}:cluster:logi-prod-ap-southeast-2-aurora`;

function build() {
  const stack = bareStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    subnetConfiguration: [
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      { name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const shared = new ec2.SecurityGroup(stack, 'PlatformFunctions', { vpc });
  const endpoints = new ec2.SecurityGroup(stack, 'Endpoints', { vpc, allowAllOutbound: false });
  const key = new kms.Key(stack, 'Key');
  const testing = new RestoreTesting(stack, 'RestoreTesting', {
    planName: 'logi_prod_restore_test',
    schedule: 'cron(0 3 ? * SUN *)',
    vaultArn: `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:backup-vault:vault`,
    restoreRole: new iam.Role(stack, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    }),
    auroraClusterArn: LIVE_CLUSTER,
    liveClusterArn: LIVE_CLUSTER,
    liveClusterResourceId: LIVE_RESOURCE_ID,
    bucketArn: 'arn:aws:s3:::logi-prod-ap-southeast-2-files',
    filesKey: key,
    vpc,
    apiEgress: { endpointSecurityGroup: endpoints, s3PrefixListId: 'pl-s3' },
    subnetGroupName: 'restore-test-subnets',
    logsKey: key,
    logRetention: logs.RetentionDays.ONE_YEAR,
    logGroupName: '/restore-validation',
    topic: new sns.Topic(stack, 'Topic'),
    topicKey: key,
  });
  const template = Template.fromStack(stack);
  return { stack, testing, template, shared, endpoints };
}

const { stack, testing, template, shared, endpoints } = build();
const json = template.toJSON() as CfnTemplate;
const idOf = (c: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(c.node.defaultChild as never);
const validatorGroup = idOf(testing.validatorSecurityGroup);
const restoredGroup = idOf(testing.restoredClusterSecurityGroup);

describe('RestoreTesting: the validation in its own box (network)', () => {
  it('restored clusters get their own group, which admits PostgreSQL only from the validator group', () => {
    const selection = Object.values(
      template.findResources('AWS::Backup::RestoreTestingSelection', {
        Properties: { ProtectedResourceType: 'Aurora' },
      }),
    )[0] as Json;
    expect(
      JSON.stringify(selection.Properties.RestoreMetadataOverrides.vpcsecuritygroupids),
    ).toContain(restoredGroup);
    const ingress = Object.values(
      template.findResources('AWS::EC2::SecurityGroupIngress'),
    ) as Json[];
    expect(ingress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        GroupId: { 'Fn::GetAtt': [restoredGroup, 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [validatorGroup, 'GroupId'] },
        FromPort: 5432,
        ToPort: 5432,
      }),
    ]);
  });

  it('no rule on a shared group, and no self-referencing rule', () => {
    const sharedId = idOf(shared);
    const rules = [
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')),
    ] as Json[];
    for (const rule of rules) {
      const text = JSON.stringify(rule.Properties);
      expect(text).not.toContain(sharedId);
      const group = JSON.stringify(rule.Properties.GroupId);
      const peer = JSON.stringify(
        rule.Properties.SourceSecurityGroupId ?? rule.Properties.DestinationSecurityGroupId,
      );
      expect(peer).not.toBe(group);
    }
  });

  it('the validator runs in its group; egress only PostgreSQL to restored clusters and HTTPS to the endpoints', () => {
    const fn = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: 'Validates resources restored by AWS Backup restore testing' },
      }),
    )[0] as Json;
    expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([
      { 'Fn::GetAtt': [validatorGroup, 'GroupId'] },
    ]);
    const groups = json.Resources as Record<string, Json>;
    expect(groups[validatorGroup].Properties.SecurityGroupEgress).toBeUndefined();
    expect(groups[restoredGroup].Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '255.255.255.255/32' }), // the CDK's "no egress" marker
    ]);
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')) as Json[];
    const endpointGroup = idOf(endpoints);
    expect(egress.map((r) => r.Properties)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          GroupId: { 'Fn::GetAtt': [validatorGroup, 'GroupId'] },
          DestinationSecurityGroupId: { 'Fn::GetAtt': [restoredGroup, 'GroupId'] },
          FromPort: 5432,
          ToPort: 5432,
        }),
        expect.objectContaining({
          GroupId: { 'Fn::GetAtt': [validatorGroup, 'GroupId'] },
          DestinationSecurityGroupId: { 'Fn::GetAtt': [endpointGroup, 'GroupId'] },
          FromPort: 443,
          ToPort: 443,
        }),
        expect.objectContaining({
          GroupId: { 'Fn::GetAtt': [validatorGroup, 'GroupId'] },
          DestinationPrefixListId: 'pl-s3',
          FromPort: 443,
          ToPort: 443,
        }),
      ]),
    );
    expect(egress).toHaveLength(3); // nothing to 0.0.0.0/0
  });

  it('logs in as restore_validator', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { DB_USER: 'restore_validator' } },
    });
  });
});

describe('RestoreTesting: the validation role (decisions by the IAM policy simulator)', () => {
  const policyId = idOf(testing.node.findChild('Access').node.findChild('Policy') as never);
  const physical: Physical = Object.fromEntries(
    Object.entries(json.Resources).map(([id, r]) => [
      id,
      {
        ref:
          r.Type === 'AWS::IAM::ManagedPolicy' ? `arn:aws:iam::${TEST_ACCOUNT}:policy/${id}` : id,
        attributes: {
          Arn:
            r.Type === 'AWS::Logs::LogGroup'
              ? `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/restore-validation:*`
              : r.Type === 'AWS::KMS::Key'
                ? `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/${id}`
                : `arn:aws:${id}`,
          RestoreTestingPlanArn: `arn:aws:backup:${TEST_REGION}:${TEST_ACCOUNT}:restore-testing-plan:p`,
          GroupId: `sg-${id}`,
        },
      },
    ]),
  );
  physical.TopicBFC7AF6E = { ref: `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:topic` };
  const policy = resolve(json.Resources[policyId].Properties?.PolicyDocument, physical, {
    account: TEST_ACCOUNT,
    region: TEST_REGION,
  });
  const validator = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/restore-validation/fn`;
  const admin = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/Administrator/stolen`;
  const outsider = `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Administrator/outsider`;
  const dbuser = (resourceId: string, user: string) =>
    `arn:aws:rds-db:${TEST_REGION}:${TEST_ACCOUNT}:dbuser:${resourceId}/${user}`;
  const restoredObject = 'arn:aws:s3:::awsbackup-restore-test-123/platform/restore-sentinel.json';
  const cases: [string, string, string, string, string, Decision][] = [
    [
      'validator',
      validator,
      'rds-db:connect',
      dbuser(RESTORED_RESOURCE_ID, 'restore_validator'),
      TEST_ACCOUNT,
      'Allowed',
    ],
    [
      'validator',
      validator,
      'rds-db:connect',
      dbuser(LIVE_RESOURCE_ID, 'restore_validator'),
      TEST_ACCOUNT,
      'ExplicitlyDenied',
    ],
    [
      'validator',
      validator,
      'rds-db:connect',
      dbuser(RESTORED_RESOURCE_ID, 'platform_bootstrap'),
      TEST_ACCOUNT,
      'ImplicitlyDenied',
    ],
    [
      'validator',
      validator,
      'rds-db:connect',
      dbuser(LIVE_RESOURCE_ID, 'platform_bootstrap'),
      TEST_ACCOUNT,
      'ExplicitlyDenied',
    ],
    ['validator', validator, 'rds:ModifyDBCluster', LIVE_CLUSTER, TEST_ACCOUNT, 'ExplicitlyDenied'],
    ['validator', validator, 's3:GetObject', restoredObject, TEST_ACCOUNT, 'Allowed'],
    ['validator', validator, 's3:GetObject', restoredObject, OTHER_ACCOUNT, 'ImplicitlyDenied'],
    ['validator', validator, 's3:PutObject', restoredObject, TEST_ACCOUNT, 'ImplicitlyDenied'],
    [
      'validator',
      validator,
      's3:GetObject',
      'arn:aws:s3:::logi-prod-ap-southeast-2-files/tenants/a/x.pdf',
      TEST_ACCOUNT,
      'ImplicitlyDenied',
    ],
    [
      'outsider (other account, admin)',
      outsider,
      'rds-db:connect',
      dbuser(RESTORED_RESOURCE_ID, 'restore_validator'),
      TEST_ACCOUNT,
      'ImplicitlyDenied',
    ],
  ];
  it.each(cases)(
    '%s: %s %s on %s (owner %s) -> %s',
    async (who, principal, action, resource, owner, expected) => {
      const identityPolicies =
        who === 'validator'
          ? [{ name: 'restore-validation', policy }]
          : [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_POLICY }];
      const got = await decideAndRecord(
        'restore-validation',
        who,
        {
          principal,
          action,
          resource,
          resourceAccount: owner,
          identityPolicies,
        },
        expected,
      );
      expect(got).toBe(expected);
    },
  );

  it('an administrator is not stopped by this policy (the network and the database role are what keep it out)', async () => {
    // Recorded so that the table is honest: the deny lives on the validator's role only.
    const got = await decideAndRecord(
      'restore-validation',
      'administrator',
      {
        principal: admin,
        action: 'rds-db:connect',
        resource: dbuser(LIVE_RESOURCE_ID, 'restore_validator'),
        resourceAccount: TEST_ACCOUNT,
        identityPolicies: [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_POLICY }],
      },
      'Allowed',
    );
    expect(got).toBe('Allowed');
  });
});
