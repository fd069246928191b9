import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { ReplicaBucket } from '../../../lib/constructs/core/cross-region-replication';
import { CrossRegionReplication } from '../../../lib/constructs/core/cross-region-replication';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REPLICA: ReplicaBucket = {
  bucketName: 'logi-prod-ap-southeast-4-files',
  region: 'ap-southeast-4',
  keyAlias: 'alias/logi-prod-ap-southeast-4-files',
};

function build(replica: Partial<ReplicaBucket> = {}) {
  const stack = bareStack();
  const replication = new CrossRegionReplication(stack, 'Replication', { ...REPLICA, ...replica });
  const key = new kms.Key(stack, 'SourceKey');
  const bucket = new s3.Bucket(stack, 'Source', {
    versioned: true,
    encryptionKey: key,
    replicationRole: replication.role,
    replicationRules: replication.rules(),
  });
  replication.grant(bucket, key);
  return Template.fromStack(stack);
}

const bucketOf = (t: Template): Json => Object.values(t.findResources('AWS::S3::Bucket'))[0];
const statements = (t: Template): Json[] =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p: Json) => p.Properties.PolicyDocument.Statement,
  );

test('only S3 of this account may assume the role', () => {
  build().hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 's3.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
        },
      ],
    },
  });
});

test('every object and delete marker, re-encrypted with the replica key by alias, metrics and RTC', () => {
  const rules = bucketOf(build()).Properties.ReplicationConfiguration.Rules;
  expect(rules).toEqual([
    expect.objectContaining({
      Id: 'to-secondary-region',
      Priority: 1,
      Status: 'Enabled',
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Enabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: expect.objectContaining({
        Bucket: 'arn:aws:s3:::logi-prod-ap-southeast-4-files',
        EncryptionConfiguration: {
          ReplicaKmsKeyID:
            'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-files',
        },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
      }),
    }),
  ]);
});

test('replication time control can be turned off, metrics stay', () => {
  const [rule] = bucketOf(build({ replicationTimeControl: false })).Properties
    .ReplicationConfiguration.Rules;
  expect(rule.Destination.ReplicationTime).toBeUndefined();
  expect(rule.Destination.Metrics).toMatchObject({ Status: 'Enabled' });
});

test('writes replicas only to the replica bucket', () => {
  const replicate = statements(build()).filter((s) =>
    [s.Action].flat().some((a: string) => a.startsWith('s3:Replicate')),
  );
  expect(replicate).toHaveLength(1);
  expect([...replicate[0].Action].sort()).toEqual([
    's3:ReplicateDelete',
    's3:ReplicateObject',
    's3:ReplicateTags',
  ]);
  expect(replicate[0].Resource).toBe('arn:aws:s3:::logi-prod-ap-southeast-4-files/*');
});

test('decrypts with the source key through S3 here, encrypts only with the replica alias there', () => {
  const all = statements(build());
  expect(all).toContainEqual(
    expect.objectContaining({
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SourceKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 's3.ap-southeast-2.amazonaws.com' } },
    }),
  );
  expect(all).toContainEqual(
    expect.objectContaining({
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Condition: {
        'ForAnyValue:StringEquals': {
          'kms:ResourceAliases': 'alias/logi-prod-ap-southeast-4-files',
        },
        StringEquals: { 'kms:ViaService': 's3.ap-southeast-4.amazonaws.com' },
      },
    }),
  );
  const kmsActions = all.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('kms:'));
  expect(kmsActions.sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
});

test('reads the source versions of the one source bucket only', () => {
  const reads = statements(build()).filter((s) =>
    [s.Action].flat().some((a: string) => a.startsWith('s3:Get') || a === 's3:ListBucket'),
  );
  for (const s of reads) {
    expect(JSON.stringify(s.Resource)).toMatch(/"Source[0-9A-F]{8}"/);
  }
  expect(reads).toHaveLength(2);
});
