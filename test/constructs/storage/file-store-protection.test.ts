import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BUCKET_CONFIGURATION_ACTIONS } from '../../../lib/constructs/core/bucket-protection';
import { FileStore } from '../../../lib/constructs/storage/file-store';
import { bareStack, TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';
import type { CfnTemplate, Decision, Physical } from '../../support/iam-simulation';
import { ADMINISTRATOR_POLICY, decideAndRecord, resolve } from '../../support/iam-simulation';

const BUCKET = 'logi-prod-ap-southeast-2-files';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/files-key`;
const OTHER_KEY = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/attacker-key`;
const BREAK_GLASS = `arn:aws:iam::${TEST_ACCOUNT}:role/platform-break-glass`;
const DEPLOYER = `arn:aws:iam::${TEST_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${TEST_ACCOUNT}-${TEST_REGION}`;
const WORKER = `arn:aws:iam::${TEST_ACCOUNT}:role/prod-apse2-Lifecycle-WorkersArchiveRole4626360A-AbCdEf`;

const stack = bareStack();
const key = new kms.Key(stack, 'FilesKey');
const store = new FileStore(stack, 'Files', {
  bucketName: BUCKET,
  key,
  accessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'logs'),
  objectLock: { mode: 'COMPLIANCE', days: 30 },
  noncurrentTransitionDays: 30,
  noncurrentExpirationDays: 60,
  protection: { breakGlassRoleArn: BREAK_GLASS, deploymentRoleArn: DEPLOYER },
});
store.protection.allowVersionDeletion(
  `arn:aws:iam::${TEST_ACCOUNT}:role/prod-apse2-Lifecycle-WorkersArchiveRole*`,
);
const json = Template.fromStack(stack).toJSON() as CfnTemplate;
const physical: Physical = {
  [stack.getLogicalId(store.bucket.node.defaultChild as never)]: {
    ref: BUCKET,
    attributes: { Arn: BUCKET_ARN },
  },
  [stack.getLogicalId(key.node.defaultChild as never)]: {
    ref: 'files-key',
    attributes: { Arn: KEY_ARN },
  },
};
const policyResource = Object.values(json.Resources).find(
  (r) => r.Type === 'AWS::S3::BucketPolicy',
);
const bucketPolicy = resolve(policyResource?.Properties?.PolicyDocument, physical, {
  account: TEST_ACCOUNT,
  region: TEST_REGION,
});

const session = (role: string, name = 's') =>
  role.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + `/${name}`;
const admin = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/Administrator/stolen`;
const outsider = 'arn:aws:sts::999999999999:assumed-role/Administrator/outsider';
const object = `${BUCKET_ARN}/tenants/acme/invoices/INV-1.pdf`;
const sseKms = (keyArn: string) => ({
  's3:x-amz-server-side-encryption': 'aws:kms',
  's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
});

type Case = [string, string, string, string, Record<string, string>, Decision];
const cases: Case[] = [
  ['administrator', admin, 's3:DeleteObjectVersion', object, {}, 'ExplicitlyDenied'],
  ['archive worker', session(WORKER), 's3:DeleteObjectVersion', object, {}, 'Allowed'],
  ['break-glass', session(BREAK_GLASS), 's3:DeleteObjectVersion', object, {}, 'Allowed'],
  [
    'deployment (cfn-exec)',
    session(DEPLOYER),
    's3:DeleteObjectVersion',
    object,
    {},
    'ExplicitlyDenied',
  ],
  ...BUCKET_CONFIGURATION_ACTIONS.flatMap((action): Case[] => [
    ['administrator', admin, action, BUCKET_ARN, {}, 'ExplicitlyDenied'],
    ['break-glass', session(BREAK_GLASS), action, BUCKET_ARN, {}, 'Allowed'],
    ['deployment (cfn-exec)', session(DEPLOYER), action, BUCKET_ARN, {}, 'Allowed'],
  ]),
  ['archive worker', session(WORKER), 's3:PutBucketPolicy', BUCKET_ARN, {}, 'ExplicitlyDenied'],
  ['administrator', admin, 's3:PutObject', object, sseKms(KEY_ARN), 'Allowed'],
  ['administrator', admin, 's3:PutObject', object, {}, 'Allowed'],
  ['administrator', admin, 's3:PutObject', object, sseKms(OTHER_KEY), 'ExplicitlyDenied'],
  // The key's alias is not its ARN: a put must name the key ARN (failback-files reads it from the
  // bucket's default encryption for that reason).
  [
    'administrator',
    admin,
    's3:PutObject',
    object,
    sseKms(`arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/logi-prod-ap-southeast-2-files`),
    'ExplicitlyDenied',
  ],
  [
    'administrator',
    admin,
    's3:PutObject',
    object,
    { 's3:x-amz-server-side-encryption': 'AES256' },
    'ExplicitlyDenied',
  ],
  [
    'administrator',
    admin,
    's3:PutObject',
    object,
    { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' },
    'ExplicitlyDenied',
  ],
  ['other account, admin', outsider, 's3:GetObject', object, {}, 'ImplicitlyDenied'],
  ['other account, admin', outsider, 's3:DeleteObjectVersion', object, {}, 'ExplicitlyDenied'],
  ['other account, admin', outsider, 's3:PutBucketPolicy', BUCKET_ARN, {}, 'ExplicitlyDenied'],
];

describe('file bucket policy (decisions by the IAM policy simulator)', () => {
  it.each(cases)(
    '%s: %s %s on %s %j -> %s',
    async (who, principal, action, resource, context, expected) => {
      const got = await decideAndRecord(
        'file-bucket',
        who,
        {
          principal,
          action,
          resource,
          resourceAccount: TEST_ACCOUNT,
          identityPolicies: [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_POLICY }],
          resourcePolicy: bucketPolicy,
          context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', ...context },
        },
        expected,
      );
      expect(got).toBe(expected);
    },
  );
});
