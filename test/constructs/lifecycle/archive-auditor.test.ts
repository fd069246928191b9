import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ArchiveAuditor } from '../../../lib/constructs/lifecycle/archive-auditor';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  new ArchiveAuditor(stack, 'Auditor', {
    roleName: 'logi-prod-archive-auditor',
    archiveBucket: new s3.Bucket(stack, 'Archive', {
      encryptionKey: new kms.Key(stack, 'ArchiveKey'),
    }),
  });
  return Template.fromStack(stack);
}

const template = build();

test('assumable by principals of this account only, and only with MFA', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'logi-prod-archive-auditor',
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { AWS: 'arn:aws:iam::333333333333:root' },
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      ],
    },
    ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^AuditorReadArchive') }],
  });
});

test('reads, lists and decrypts the archive; cannot write, lock or delete', () => {
  const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as Json[];
  const statements: Json[] = policy.Properties.PolicyDocument.Statement;
  const actions = statements.flatMap((s) => [s.Action].flat());
  expect(actions.sort()).toEqual(
    [
      's3:ListBucket',
      's3:ListBucketVersions',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:GetObjectRetention',
      's3:GetObjectAttributes',
      'kms:Decrypt',
    ].sort(),
  );
  expect(statements.find((s) => s.Sid === 'ReadArchive')!.Resource).toEqual({
    'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Archive/), 'Arn'] }, '/archive/*']],
  });
  expect(statements.find((s) => s.Sid === 'DecryptArchive')!.Resource).toEqual({
    'Fn::GetAtt': [expect.stringMatching(/^ArchiveKey/), 'Arn'],
  });
  template.resourceCountIs('AWS::IAM::Policy', 0);
});
