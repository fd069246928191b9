import { Tags } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { BACKUP_AUDIT_TAG } from '../../../lib/constructs/core/backup-audit-tag';
import { bareStack } from '../../support/bare-stack';

test('a valid tag key and value, outside the aws: namespace CloudFormation refuses', () => {
  expect(BACKUP_AUDIT_TAG.key).toMatch(/^[\w.:/=+\-@]{1,128}$/);
  expect(BACKUP_AUDIT_TAG.key).not.toMatch(/^aws:/i);
  expect(BACKUP_AUDIT_TAG.value).toMatch(/^[\w.:/=+\-@]{1,256}$/);
});

test('lands on a resource as the one key/value pair the audit controls scope by', () => {
  const stack = bareStack();
  const bucket = new s3.Bucket(stack, 'Bucket');
  Tags.of(bucket).add(BACKUP_AUDIT_TAG.key, BACKUP_AUDIT_TAG.value);
  Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
    Tags: [{ Key: 'backup-audit', Value: 'protected' }],
  });
});
