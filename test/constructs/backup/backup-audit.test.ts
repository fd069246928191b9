import { Match, Template } from 'aws-cdk-lib/assertions';
import type { BackupAuditProps } from '../../../lib/constructs/backup/backup-audit';
import { BackupAudit } from '../../../lib/constructs/backup/backup-audit';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BREAK_GLASS = 'arn:aws:iam::333333333333:role/platform-break-glass';
const REPORTS_ROLE =
  'arn:aws:iam::333333333333:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports';

function build(props: Partial<BackupAuditProps> = {}) {
  const stack = bareStack();
  new BackupAudit(stack, 'Audit', {
    frameworkName: 'logi_prod_backup_audit',
    reportPlanPrefix: 'logi_prod_backup',
    requiredRetentionDays: 35,
    vaultLock: { minRetentionDays: 35, maxRetentionDays: 365 },
    breakGlassRoleArn: BREAK_GLASS,
    copyRegions: ['ap-southeast-4'],
    reportsBucketName: 'logi-prod-backup-reports',
    reportsKeyAlias: 'alias/logi-prod-backup-reports',
    accessLogsBucketName: 'logi-prod-access-logs',
    objectLockMode: 'COMPLIANCE',
    reportRetentionDays: 365,
    ...props,
  });
  return Template.fromStack(stack);
}

const template = build();
const controls = (t: Template): Json[] =>
  (Object.values(t.findResources('AWS::Backup::Framework'))[0] as Json).Properties
    .FrameworkControls;

test('controls prove plan, frequency and retention, encryption, deletion, lock, copies', () => {
  const base = [
    'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
    'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
    'BACKUP_RECOVERY_POINT_ENCRYPTED',
    'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
    'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
  ];
  expect(controls(template).map((c) => c.ControlName)).toEqual([
    ...base,
    'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
  ]);
  expect(controls(build({ copyRegions: undefined })).map((c) => c.ControlName)).toEqual(base);
});

test('the control parameters are the ones given', () => {
  template.hasResourceProperties('AWS::Backup::Framework', {
    FrameworkName: 'logi_prod_backup_audit',
    FrameworkControls: Match.arrayWith([
      {
        ControlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
        ControlInputParameters: [
          { ParameterName: 'requiredFrequencyUnit', ParameterValue: 'hours' },
          { ParameterName: 'requiredFrequencyValue', ParameterValue: '24' },
          { ParameterName: 'requiredRetentionDays', ParameterValue: '35' },
        ],
      },
      {
        ControlName: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
        ControlInputParameters: [
          { ParameterName: 'principalArnList', ParameterValue: BREAK_GLASS },
        ],
      },
      Match.objectLike({
        ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
        ControlInputParameters: [
          { ParameterName: 'minRetentionDays', ParameterValue: '35' },
          { ParameterName: 'maxRetentionDays', ParameterValue: '365' },
        ],
      }),
      Match.objectLike({
        ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
        ControlInputParameters: [
          { ParameterName: 'crossRegionList', ParameterValue: 'ap-southeast-4' },
        ],
      }),
    ]),
  });
});

test('resource-scoped controls are scoped by the backup-audit tag', () => {
  const scoped = controls(template).filter((c) => c.ControlScope);
  expect(scoped.map((c) => c.ControlName)).toContain('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN');
  for (const c of scoped) {
    expect(c.ControlScope).toEqual({ Tags: [{ Key: 'backup-audit', Value: 'protected' }] });
  }
});

test('reports bucket: object-locked, versioned, SSE-KMS with its own key, access-logged, retained', () => {
  template.hasResource('AWS::S3::Bucket', {
    Properties: Match.objectLike({
      BucketName: 'logi-prod-backup-reports',
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditReportsKey'), 'Arn'] },
            },
          },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: 'logi-prod-access-logs',
        LogFilePrefix: 'logi-prod-backup-reports/',
      },
    }),
    DeletionPolicy: 'Retain',
  });
  template.hasResourceProperties('AWS::KMS::Alias', {
    AliasName: 'alias/logi-prod-backup-reports',
  });
  build({ objectLockMode: 'GOVERNANCE', reportRetentionDays: 30 }).hasResourceProperties(
    'AWS::S3::Bucket',
    {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      },
    },
  );
});

test('reports expire a day after their lock ends', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: [Match.objectLike({ Id: 'expire-reports', ExpirationInDays: 366 })],
    },
  });
});

test('TLS only; only the reports service-linked role may write, with owner control', () => {
  const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Json[];
  const statements: Json[] = policy.Properties.PolicyDocument.Statement;
  expect(statements).toContainEqual(
    expect.objectContaining({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  );
  const allows = statements.filter((s) => s.Effect === 'Allow');
  expect(allows).toEqual([
    expect.objectContaining({
      Sid: 'BackupAuditManagerWritesReports',
      Principal: { AWS: REPORTS_ROLE },
      Action: 's3:PutObject',
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }),
  ]);
});

test('the reports key: only the reports role of this account, through S3 of this region', () => {
  template.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([
        {
          Sid: 'BackupAuditManagerReportsThroughS3',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: {
            ArnEquals: { 'aws:PrincipalArn': REPORTS_ROLE },
            StringEquals: {
              'kms:CallerAccount': '333333333333',
              'kms:ViaService': 's3.ap-southeast-2.amazonaws.com',
            },
          },
        },
      ]),
    },
  });
});

test('compliance and restore-job report plans, CSV and JSON, after the bucket policy', () => {
  template.hasResource('AWS::Backup::ReportPlan', {
    Properties: {
      ReportPlanName: 'logi_prod_backup_compliance',
      ReportPlanDescription: Match.anyValue(),
      ReportDeliveryChannel: {
        S3BucketName: { Ref: Match.stringLikeRegexp('^AuditReportsBucket') },
        S3KeyPrefix: 'compliance',
        Formats: ['CSV', 'JSON'],
      },
      ReportSetting: {
        ReportTemplate: 'CONTROL_COMPLIANCE_REPORT',
        FrameworkArns: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditFramework'), 'FrameworkArn'] },
        ],
      },
    },
    DependsOn: [Match.stringLikeRegexp('^AuditReportsBucketPolicy')],
  });
  template.hasResourceProperties('AWS::Backup::ReportPlan', {
    ReportPlanName: 'logi_prod_backup_restore_jobs',
    ReportSetting: { ReportTemplate: 'RESTORE_JOB_REPORT' },
  });
});
