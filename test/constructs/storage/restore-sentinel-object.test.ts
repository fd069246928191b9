import type { S3Client } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { checkRestoredBucket } from '../../../lambda/restore-validation/bucket-check';
import { SENTINEL_OBJECT_KEY } from '../../../lambda/restore-validation/sentinel-object';
import { RestoreSentinelObject } from '../../../lib/constructs/storage/restore-sentinel-object';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BUCKET_NAME = 'logi-prod-ap-southeast-2-files';

const stack = bareStack();
const filesKey = new kms.Key(stack, 'FilesKey');
const logsKey = new kms.Key(stack, 'LogsKey');
const bucket = new s3.Bucket(stack, 'Files', { encryptionKey: filesKey });
const sentinel = new RestoreSentinelObject(stack, 'RestoreSentinel', {
  bucket,
  key: filesKey,
  logsKey,
  logRetention: logs.RetentionDays.ONE_YEAR,
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;
const idOf = (c: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(c.node.defaultChild as never);
const bucketId = idOf(bucket);
const filesKeyId = idOf(filesKey);
const [writerId, writer] = Object.entries(resources).find(([, r]) => r.Type === 'Custom::AWS')!;

/** A call of the custom resource (Create, Update), its bucket and key put back as names. */
function call(phase: 'Create' | 'Update'): Json {
  const joined = writer.Properties[phase] as Json;
  const text = (joined['Fn::Join'][1] as unknown[])
    .map((part) => {
      if (typeof part === 'string') return part;
      const p = part as Json;
      if (p.Ref === bucketId) return BUCKET_NAME;
      if (JSON.stringify(p) === JSON.stringify({ 'Fn::GetAtt': [filesKeyId, 'Arn'] })) {
        return 'FILES_KEY_ARN';
      }
      throw new Error(`unexpected token ${JSON.stringify(p)}`);
    })
    .join('');
  return JSON.parse(text) as Json;
}

test('writes the sentinel key of the file bucket, outside every tenant’s prefix', () => {
  const { service, action, parameters } = call('Create');
  expect({ service, action }).toEqual({ service: 'S3', action: 'putObject' });
  expect(parameters.Bucket).toBe(BUCKET_NAME);
  expect(parameters.Key).toBe(SENTINEL_OBJECT_KEY);
  expect(parameters.Key).not.toMatch(/^tenants\//);
});

test('the bytes written are the ones restore validation accepts from a restored bucket', async () => {
  const { Body } = call('Create').parameters;
  const s3Client = {
    send: async () => ({ Body: { transformToString: async () => Body as string } }),
  } as unknown as S3Client;
  const result = await checkRestoredBucket(s3Client, `arn:aws:s3:::awsbackup-restore-test-x`);
  expect(result).toMatchObject({ ok: true });
});

test('SSE-KMS under the files key (what the validator decrypts with), not the S3 default', () => {
  expect(call('Create').parameters).toMatchObject({
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: 'FILES_KEY_ARN',
    ContentType: 'application/json',
  });
});

test('an update writes it again, the same call; removing the resource deletes nothing', () => {
  expect(call('Update')).toEqual(call('Create'));
  expect(writer.Properties.Delete).toBeUndefined();
});

test('one physical id per bucket: an update rewrites in place, never a replacement', () => {
  expect(call('Create').physicalResourceId).toEqual({ id: `restore-sentinel-${BUCKET_NAME}` });
});

test('the writer may put only the one sentinel key and make data keys under the files key', () => {
  const policies = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::IAM::Policy');
  expect(policies).toHaveLength(1);
  expect(resources[policies[0]].Properties.PolicyDocument.Statement).toEqual([
    {
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${SENTINEL_OBJECT_KEY}`]],
      },
    },
    {
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: { 'Fn::GetAtt': [filesKeyId, 'Arn'] },
    },
  ]);
  // ...and the custom resource waits for that policy.
  expect(writer.DependsOn).toEqual([policies[0]]);
});

test('the writer logs to its own group: encrypted with the logs key, the given retention, retained', () => {
  const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function')!;
  const groupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
  expect(resources[groupId]).toMatchObject({
    Type: 'AWS::Logs::LogGroup',
    Properties: { KmsKeyId: { 'Fn::GetAtt': [idOf(logsKey), 'Arn'] }, RetentionInDays: 365 },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
  expect(groupId).toMatch(/^RestoreSentinelWriterLogs/);
});

test('no SDK is fetched from npm at deploy time: the runtime’s own SDK makes the call', () => {
  expect(writer.Properties.InstallLatestAwsSdk).toBe(false);
});

test('ids Writer and WriterLogs, so the logical ids stay put', () => {
  expect(sentinel.node.tryFindChild('Writer')).toBeDefined();
  expect(sentinel.node.tryFindChild('WriterLogs')).toBeDefined();
  expect(writerId).toMatch(/^RestoreSentinelWriter[0-9A-F]{8}$/);
});
