import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';

export interface ArchiveAuditorProps {
  /** Deterministic role name, `<app>-<env>-archive-auditor`. */
  readonly roleName: string;
  /** The archive bucket (with its key) the auditor reads. */
  readonly archiveBucket: s3.IBucket;
}

/**
 * The only human way to read an archive: a read-only role, assumable by the account's principals
 * that an IAM policy allows to, and only with MFA. It lists versions, reads objects and their
 * retention, and decrypts with the archive key; it can neither write nor delete.
 */
export class ArchiveAuditor extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ArchiveAuditorProps) {
    super(scope, id);
    const bucket = props.archiveBucket;
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Reads the tenant archive (read only, MFA): record keeping and audits',
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
    });
    const policy = new iam.ManagedPolicy(this, 'ReadArchive', {
      description: 'Read-only access to the tenant archive bucket',
      statements: [
        new iam.PolicyStatement({
          sid: 'ListArchive',
          actions: ['s3:ListBucket', 's3:ListBucketVersions'],
          resources: [bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadArchive',
          actions: [
            's3:GetObject',
            's3:GetObjectVersion',
            's3:GetObjectRetention',
            's3:GetObjectAttributes',
          ],
          resources: [bucket.arnForObjects('archive/*')],
        }),
      ],
    });
    if (bucket.encryptionKey) {
      policy.addStatements(
        new iam.PolicyStatement({
          sid: 'DecryptArchive',
          actions: ['kms:Decrypt'],
          resources: [bucket.encryptionKey.keyArn],
        }),
      );
    }
    this.role.addManagedPolicy(policy);
    // Held only while the statement stays read-only.
    acknowledgeWhile(
      policy,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::<${logicalId(bucket)}.Arn>/archive/*]`,
      'The auditor reads any archived tenant, whose ids are not known at deploy time; the ' +
        'statement is read-only, limited to the archive/ prefix of this one bucket, and the ' +
        'role can only be assumed with MFA.',
      onlyActionsOn(bucket.stack.resolve(bucket.arnForObjects('archive/*')), [
        's3:GetObject',
        's3:GetObjectAttributes',
        's3:GetObjectRetention',
        's3:GetObjectVersion',
      ]),
    );
  }
}

function logicalId(bucket: s3.IBucket): string {
  const child = bucket.node.defaultChild as { logicalId?: string } | undefined;
  return child?.logicalId ? bucket.stack.resolve(child.logicalId) : bucket.node.id;
}
