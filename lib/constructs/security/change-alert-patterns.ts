import type * as events from 'aws-cdk-lib/aws-events';

/** The detail-type of every CloudTrail management event on EventBridge. */
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';

/** One kind of change that pages on-call: the CloudTrail events of one service that make it. */
export interface ChangeAlert {
  /** What happened, in the words of the on-call message, e.g. "KMS key deletion or disabling". */
  readonly what: string;
  /** EventBridge source of the service, e.g. `aws.kms`. */
  readonly source: string;
  /** CloudTrail `eventSource` of the service, e.g. `kms.amazonaws.com`. */
  readonly eventSource: string;
  /** CloudTrail event names that make the change. */
  readonly eventNames: readonly string[];
  /** Request parameter naming the changed resource, quoted in the message. */
  readonly resourceParameter: string;
}

/**
 * Changes of regional services that page on-call through an EventBridge rule in every region of
 * the platform (their CloudTrail events arrive on the default bus of the region of the call).
 * IAM is not here: its events reach EventBridge in us-east-1 only; see `GLOBAL_CHANGE_FILTERS`.
 */
export const REGIONAL_CHANGE_ALERTS = {
  KeyDeletionOrDisabling: {
    what: 'KMS key deletion, disabling or key policy change',
    source: 'aws.kms',
    eventSource: 'kms.amazonaws.com',
    eventNames: [
      'ScheduleKeyDeletion',
      'DisableKey',
      'PutKeyPolicy',
      'DisableKeyRotation',
      'DeleteImportedKeyMaterial',
    ],
    resourceParameter: 'keyId',
  },
  TrailChange: {
    what: 'CloudTrail trail stopped, deleted or changed',
    source: 'aws.cloudtrail',
    eventSource: 'cloudtrail.amazonaws.com',
    eventNames: [
      'StopLogging',
      'DeleteTrail',
      'UpdateTrail',
      'PutEventSelectors',
      'PutInsightSelectors',
    ],
    resourceParameter: 'name',
  },
  BucketProtectionChange: {
    what: 'S3 bucket policy, lifecycle, replication, versioning, encryption or Object Lock change',
    source: 'aws.s3',
    eventSource: 's3.amazonaws.com',
    eventNames: [
      'PutBucketPolicy',
      'DeleteBucketPolicy',
      // CloudTrail names PutBucketLifecycleConfiguration calls PutBucketLifecycle; both listed.
      'PutBucketLifecycle',
      'PutBucketLifecycleConfiguration',
      'DeleteBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketReplication',
      'PutObjectLockConfiguration',
      'PutBucketVersioning',
      'PutBucketEncryption',
      'DeleteBucketEncryption',
      'PutBucketPublicAccessBlock',
      'DeleteBucketPublicAccessBlock',
      'PutBucketAcl',
    ],
    resourceParameter: 'bucketName',
  },
  SecurityGroupChange: {
    what: 'Security group change',
    source: 'aws.ec2',
    eventSource: 'ec2.amazonaws.com',
    eventNames: [
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'ModifySecurityGroupRules',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
    ],
    resourceParameter: 'groupId',
  },
  NetworkAclChange: {
    what: 'Network ACL change',
    source: 'aws.ec2',
    eventSource: 'ec2.amazonaws.com',
    eventNames: [
      'CreateNetworkAcl',
      'CreateNetworkAclEntry',
      'DeleteNetworkAcl',
      'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry',
      'ReplaceNetworkAclAssociation',
    ],
    resourceParameter: 'networkAclId',
  },
  BackupVaultChange: {
    what: 'AWS Backup vault, lock or recovery point change',
    source: 'aws.backup',
    eventSource: 'backup.amazonaws.com',
    eventNames: [
      'DeleteBackupVault',
      'PutBackupVaultAccessPolicy',
      'DeleteBackupVaultAccessPolicy',
      'PutBackupVaultLockConfiguration',
      'DeleteBackupVaultLockConfiguration',
      'DeleteBackupVaultNotifications',
      'DeleteRecoveryPoint',
      'UpdateRecoveryPointLifecycle',
      'DisassociateRecoveryPoint',
    ],
    resourceParameter: 'backupVaultName',
  },
  BackupPlanChange: {
    what: 'AWS Backup plan or selection change',
    source: 'aws.backup',
    eventSource: 'backup.amazonaws.com',
    eventNames: ['UpdateBackupPlan', 'DeleteBackupPlan', 'DeleteBackupSelection'],
    resourceParameter: 'backupPlanId',
  },
} as const satisfies Record<string, ChangeAlert>;

/** The EventBridge pattern of a change alert. */
export function changePattern(alert: ChangeAlert): events.EventPattern {
  return {
    source: [alert.source],
    detailType: [CLOUDTRAIL_API_CALL],
    detail: { eventSource: [alert.eventSource], eventName: [...alert.eventNames] },
  };
}

/**
 * AssumeRole of the break-glass role (any path) through an STS endpoint of this region. AssumeRole
 * is a read-only management event, so the rule must be enabled with all CloudTrail management
 * events (`ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`).
 */
export function breakGlassPattern(roleName: string): events.EventPattern {
  return {
    source: ['aws.sts'],
    detailType: [CLOUDTRAIL_API_CALL],
    detail: {
      eventSource: ['sts.amazonaws.com'],
      eventName: ['AssumeRole'],
      // `/<name>` at the end: the role with any path, and no role whose name merely ends in it.
      requestParameters: { roleArn: [{ suffix: `/${roleName}` }] },
    },
  };
}

/** A CloudWatch Logs filter on the trail's records, and the alarm description it gets. */
export interface TrailFilter {
  readonly pattern: string;
  readonly description: string;
}

const anyOf = (field: string, values: readonly string[]) =>
  `(${values.map((v) => `($.${field} = "${v}")`).join(' || ')})`;

/** IAM policy changes (CIS AWS Foundations 4.4), as CloudTrail names them. */
export const IAM_POLICY_EVENTS = [
  'CreatePolicy',
  'CreatePolicyVersion',
  'DeletePolicy',
  'DeletePolicyVersion',
  'SetDefaultPolicyVersion',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'PutUserPolicy',
  'DeleteUserPolicy',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'PutGroupPolicy',
  'DeleteGroupPolicy',
  'AttachGroupPolicy',
  'DetachGroupPolicy',
] as const;

/** IAM role, boundary and credential changes. */
export const IAM_ROLE_EVENTS = [
  'CreateRole',
  'DeleteRole',
  'UpdateAssumeRolePolicy',
  'UpdateRole',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'CreateUser',
  'CreateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'AddUserToGroup',
] as const;

/**
 * Changes whose events reach EventBridge in us-east-1 only (IAM; STS through its global endpoint),
 * where the platform does not deploy: filters on the multi-region trail's log group in the primary
 * region, which holds the records of every region.
 */
export function globalChangeFilters(breakGlassRoleName: string): Record<string, TrailFilter> {
  return {
    IamPolicyChange: {
      pattern: `{ ($.eventSource = "iam.amazonaws.com") && ${anyOf('eventName', IAM_POLICY_EVENTS)} }`,
      description: 'IAM policy created, changed, attached, detached or deleted (any region)',
    },
    IamRoleChange: {
      pattern: `{ ($.eventSource = "iam.amazonaws.com") && ${anyOf('eventName', IAM_ROLE_EVENTS)} }`,
      description: 'IAM role, trust policy, boundary, user or access key change (any region)',
    },
    BreakGlassUse: {
      pattern:
        '{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && ' +
        `($.requestParameters.roleArn = "*/${breakGlassRoleName}") }`,
      description: `The break-glass role ${breakGlassRoleName} was assumed (any region or endpoint)`,
    },
  };
}

/**
 * A rule of AWS Config, named with the prefix, found a resource NON_COMPLIANT (the prefix keeps
 * out Security Hub's own service-linked rules, which report through Security Hub findings).
 */
export function nonCompliantPattern(configRuleNamePrefix: string): events.EventPattern {
  return {
    source: ['aws.config'],
    detailType: ['Config Rules Compliance Change'],
    detail: {
      messageType: ['ComplianceChangeNotification'],
      configRuleName: [{ prefix: configRuleNamePrefix }],
      newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
    },
  };
}
