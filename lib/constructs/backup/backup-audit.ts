import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET, sendEventsToEventBridge } from '../core/private-bucket';
import { acknowledge } from '../../compliance/acknowledge';
import { BACKUP_AUDIT_TAG } from '../core/backup-audit-tag';
import { PlatformKey } from '../core/platform-key';

export interface BackupAuditProps {
  /** Framework name (letters, digits, underscores). */
  readonly frameworkName: string;
  /** Prefix of the report plan names (letters, digits, underscores). */
  readonly reportPlanPrefix: string;
  /** Shortest retention the plan's daily rule must keep, in days. */
  readonly requiredRetentionDays: number;
  /** The vault lock the vault must have. */
  readonly vaultLock: { readonly minRetentionDays: number; readonly maxRetentionDays: number };
  /** The only role that may delete recovery points. */
  readonly breakGlassRoleArn: string;
  /**
   * Regions recovery points must be copied to.
   * @default none: no cross-region control
   */
  readonly copyRegions?: readonly string[];
  /** Deterministic name of the reports bucket. */
  readonly reportsBucketName: string;
  /** Alias of the customer-managed key created for the reports bucket. */
  readonly reportsKeyAlias: string;
  /** This region's server access logs bucket (by name: it lives in the Security stack). */
  readonly accessLogsBucketName: string;
  /** Object Lock mode of the reports: COMPLIANCE in production. */
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Days a report is locked and kept. */
  readonly reportRetentionDays: number;
  /**
   * Whether the reports bucket belongs to a production environment: only there does the ISO pack ask for
   * a cross-region copy (its resilience scope), so only there is that finding acknowledged.
   * @default true
   */
  readonly production?: boolean;
}

/** The service-linked role through which Backup Audit Manager writes reports. */
function reportsRoleArn(scope: Construct): string {
  const { partition, account } = Stack.of(scope);
  return (
    `arn:${partition}:iam::${account}:role/aws-service-role/reports.backup.amazonaws.com/` +
    'AWSServiceRoleForBackupReports'
  );
}

/**
 * Backup Audit Manager for this region: a framework whose controls prove the backup design
 * (resources in a plan, daily frequency and minimum retention, encrypted recovery points, manual
 * deletion disabled except break glass, cross-region copies where there is a second region,
 * vault lock), and report plans (control compliance, restore jobs) delivered to a versioned,
 * Object-Locked, SSE-KMS, TLS-only, access-logged bucket.
 */
export class BackupAudit extends Construct {
  readonly framework: backup.CfnFramework;
  readonly reportsBucket: s3.Bucket;
  readonly reportPlans: backup.CfnReportPlan[];

  constructor(scope: Construct, id: string, props: BackupAuditProps) {
    super(scope, id);
    this.framework = new backup.CfnFramework(this, 'Framework', {
      frameworkName: props.frameworkName,
      frameworkDescription: 'Evidence that the platform backup plan, vault and copies are in place',
      frameworkControls: controls(props),
    });
    this.reportsBucket = this.bucket(props);
    const plan = (planId: string, suffix: string, reportTemplate: string, frameworks?: string[]) =>
      new backup.CfnReportPlan(this, planId, {
        reportPlanName: `${props.reportPlanPrefix}_${suffix}`,
        reportPlanDescription: `${reportTemplate} of this region into ${props.reportsBucketName}`,
        // Both properties are untyped JSON in the L1: CloudFormation's own (PascalCase) keys.
        reportDeliveryChannel: {
          S3BucketName: this.reportsBucket.bucketName,
          S3KeyPrefix: suffix,
          Formats: ['CSV', 'JSON'],
        },
        reportSetting: { ReportTemplate: reportTemplate, FrameworkArns: frameworks },
      });
    this.reportPlans = [
      plan('ComplianceReport', 'compliance', 'CONTROL_COMPLIANCE_REPORT', [
        this.framework.attrFrameworkArn,
      ]),
      plan('RestoreJobReport', 'restore_jobs', 'RESTORE_JOB_REPORT'),
    ];
    for (const reportPlan of this.reportPlans) {
      reportPlan.node.addDependency(this.reportsBucket.policy ?? this.reportsBucket);
    }
  }

  /**
   * The reports' key. Backup Audit Manager writes through its service-linked role, which may not
   * exist yet when this key is created (KMS refuses a policy naming a missing principal), so the
   * role is named in a condition: only that role, of this account, through S3 in this region.
   */
  private reportsKey(props: BackupAuditProps): PlatformKey {
    const key = new PlatformKey(this, 'ReportsKey', {
      alias: props.reportsKeyAlias,
      description: 'Encrypts the Backup Audit Manager reports',
    });
    const { account, region } = Stack.of(this);
    key.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BackupAuditManagerReportsThroughS3',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': reportsRoleArn(this) },
          StringEquals: {
            'kms:CallerAccount': account,
            'kms:ViaService': `s3.${region}.amazonaws.com`,
          },
        },
      }),
    );
    return key;
  }

  private bucket(props: BackupAuditProps): s3.Bucket {
    const days = Duration.days(props.reportRetentionDays);
    const bucket = new s3.Bucket(this, 'ReportsBucket', {
      bucketName: props.reportsBucketName,
      ...PRIVATE_BUCKET,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(days)
          : s3.ObjectLockRetention.governance(days),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.reportsKey(props).key,
      bucketKeyEnabled: true,
      lifecycleRules: [
        {
          id: 'expire-reports',
          expiration: days.plus(Duration.days(1)),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    // Server access logs and EventBridge notifications as CloudFormation properties: the access-logs
    // bucket lives in the Storage stack (its policy admits this bucket by name), and the L2's
    // notification support would add a custom-resource Lambda.
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    cfn.loggingConfiguration = {
      destinationBucketName: props.accessLogsBucketName,
      logFilePrefix: `${props.reportsBucketName}/`,
    };
    sendEventsToEventBridge(bucket);
    acknowledge(
      cfn,
      'NIST.800.53.R5',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'Audit reports are derived evidence that Backup Audit Manager regenerates from AWS Config ' +
        'and job history at any time; each region writes its own bucket, and versioning with ' +
        'Object Lock keeps every report immutable for its retention period.',
    );
    const derived =
      'Audit reports are derived evidence that Backup Audit Manager regenerates from AWS Config ' +
      'and job history at any time; each region writes its own bucket, and versioning with ' +
      'Object Lock keeps every report immutable for its retention period.';
    acknowledge(cfn, 'ISO.27001.2022', 'ISO.27001.2022-S3BucketInBackupSelection', derived);
    if (props.production ?? true) {
      acknowledge(cfn, 'ISO.27001.2022', 'ISO.27001.2022-S3CrossRegionReplication', derived);
    }
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BackupAuditManagerWritesReports',
        principals: [new iam.ArnPrincipal(reportsRoleArn(this))],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    return bucket;
  }
}

function controls(props: BackupAuditProps): backup.CfnFramework.FrameworkControlProperty[] {
  // Untyped JSON in the L1: CloudFormation's own (PascalCase) keys.
  const scope = { Tags: [{ Key: BACKUP_AUDIT_TAG.key, Value: BACKUP_AUDIT_TAG.value }] };
  const params = (values: Record<string, string>) =>
    Object.entries(values).map(([parameterName, parameterValue]) => ({
      parameterName,
      parameterValue,
    }));
  const list: backup.CfnFramework.FrameworkControlProperty[] = [
    { controlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', controlScope: scope },
    {
      controlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      controlInputParameters: params({
        requiredFrequencyUnit: 'hours',
        requiredFrequencyValue: '24',
        requiredRetentionDays: String(props.requiredRetentionDays),
      }),
    },
    { controlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' },
    {
      controlName: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
      controlInputParameters: params({ principalArnList: props.breakGlassRoleArn }),
    },
    {
      controlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
      controlInputParameters: params({
        minRetentionDays: String(props.vaultLock.minRetentionDays),
        maxRetentionDays: String(props.vaultLock.maxRetentionDays),
      }),
      controlScope: scope,
    },
  ];
  if (props.copyRegions && props.copyRegions.length > 0) {
    list.push({
      controlName: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
      controlInputParameters: params({ crossRegionList: props.copyRegions.join(',') }),
      controlScope: scope,
    });
  }
  return list;
}
