import { NagMessageLevel, rules as nag } from 'cdk-nag';
import type { Iso27001ChecksProps } from '../iso27001-checks';
import { ISO27001_DEFAULT_REQUIRED_TAGS, resolvePolicy } from '../policy';
import type { IsoRule } from './core/rule';
import * as own from './index';

/** How the pack reports one rule. The control comes from the catalogue (`controls.ts`). */
export interface RuleWiring {
  readonly rule: IsoRule;
  /** What is wrong, without the `[A.x.y]` prefix (the pack adds it). */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  readonly level: NagMessageLevel;
  /** A cdk-nag rule reused as is: a throw from it is reported as not checkable. */
  readonly reused?: boolean;
}

const E = NagMessageLevel.ERROR;
const W = NagMessageLevel.WARN;

/** The pack's rules, configured from its props. */
export function packRules(props: Iso27001ChecksProps): readonly RuleWiring[] {
  const scope = { ...props, scope: props.resilienceScope ?? 'production' };
  const policy = resolvePolicy({
    minimumLogRetentionDays: props.minimumLogRetentionDays,
    minimumBackupRetentionDays: props.minimumBackupRetentionDays,
    minimumKeyDeletionWindowDays: props.minimumKeyDeletionWindowDays,
  });
  return [
    {
      rule: own.IamNoAdminPolicy,
      level: E,
      info: 'The IAM policy grants full administrator access (Action "*" on Resource "*", or AdministratorAccess).',
      explanation:
        'Access is granted per need; full admin rights in a template bypass every other access control.',
    },
    {
      rule: own.ApiRouteAuthorization,
      level: E,
      info: 'The API route or method has no authorization.',
      explanation: 'Only authenticated and authorized callers may reach the application.',
    },
    {
      rule: own.requiredTags(props.requiredTags ?? ISO27001_DEFAULT_REQUIRED_TAGS),
      level: E,
      info: 'The resource lacks required tags (named in brackets).',
      explanation:
        'Tags make the inventory of cloud assets, their owner, environment and classification.',
    },
    {
      rule: own.allowedRegion(props.allowedRegions),
      level: E,
      info: 'The stack deploys to a region that is not allowed.',
      explanation: 'Data stays in the regions the organisation has agreed for its cloud services.',
    },
    {
      rule: own.auroraGlobalDatabase(scope),
      level: E,
      info: 'The Aurora cluster is not part of a global database.',
      explanation:
        'A replica in a second region kept in sync continuously lets the platform move regions.',
    },
    {
      rule: own.s3CrossRegionReplication(scope),
      level: E,
      info: 'The bucket does not replicate to a bucket in another region.',
      explanation: 'Files survive the loss of a region.',
    },
    {
      rule: own.backupCopyToOtherRegion(scope),
      level: E,
      info: 'The backup plan copies no recovery point to a vault in another region.',
      explanation: 'Backups survive the loss of a region.',
    },
    {
      rule: own.S3ObjectLockRetention,
      level: E,
      info: 'The bucket has no Object Lock with a default retention.',
      explanation:
        'Write-once storage keeps records from being destroyed, even with stolen credentials.',
    },
    {
      rule: own.BackupVaultLocked,
      level: E,
      info: 'The backup vault has no Vault Lock in compliance mode.',
      explanation:
        'A locked vault keeps recovery points from being deleted before their retention ends.',
    },
    {
      rule: own.DataStoreDeletionProtection,
      level: E,
      info: 'The database or table has no deletion protection.',
      explanation: 'Records cannot be deleted by one mistaken or malicious API call.',
    },
    {
      rule: own.DataStoreRetainPolicy,
      level: E,
      info: 'The data store has no Retain or Snapshot DeletionPolicy.',
      explanation: 'Removing the resource from a stack must not destroy the records it holds.',
    },
    {
      rule: nag.cognito.CognitoUserPoolMFA,
      reused: true,
      level: E,
      info: 'The Cognito user pool does not require MFA.',
      explanation: 'A second factor protects accounts whose password is known to an attacker.',
    },
    {
      rule: own.CognitoClientHardening,
      level: E,
      info: 'The Cognito user pool client is not hardened (problems in brackets).',
      explanation: 'No tokens in URLs, revocable tokens, and no disclosure of which users exist.',
    },
    {
      rule: own.CognitoTenantClientNoOperatorScope,
      level: E,
      info: 'A Cognito client outside an operator pool is granted an operator (tenants.*) scope.',
      explanation:
        'Cognito checks scopes against the client, not the user: every user of a tenant-facing ' +
        'client could obtain the operator scope. Operator scopes belong to the operator pool only.',
    },
    {
      rule: own.RdsClusterIamAuth,
      level: E,
      info: 'The DB cluster does not accept IAM database authentication.',
      explanation: 'Short-lived IAM tokens replace long-lived database passwords.',
    },
    {
      rule: own.S3LifecycleExpiration,
      level: W,
      info: 'The bucket has no lifecycle rule that expires objects or noncurrent versions.',
      explanation: 'Information is deleted when no longer required.',
    },
    {
      rule: own.LogGroupRetentionBounded,
      level: E,
      info: 'The log group keeps events forever (no RetentionInDays).',
      explanation: 'Log data is deleted when no longer required.',
    },
    {
      rule: own.S3BucketPublicAccessBlocked,
      level: E,
      info: 'The bucket does not block all public access (settings in brackets).',
      explanation: 'Files are never exposed to the internet by a policy or ACL mistake.',
    },
    {
      rule: nag.s3.S3BucketSSLRequestsOnly,
      reused: true,
      level: E,
      info: 'The bucket or bucket policy does not deny requests without TLS.',
      explanation: 'Data in transit is never sent in clear text.',
    },
    {
      rule: own.RdsClusterInBackupSelection,
      level: E,
      info: 'The DB cluster is not in any AWS Backup selection.',
      explanation: 'Every database is backed up.',
    },
    {
      rule: own.S3BucketInBackupSelection,
      level: E,
      info: 'The bucket is not in any AWS Backup selection.',
      explanation: 'Every bucket is backed up.',
    },
    {
      rule: own.DynamoDBTableInBackupSelection,
      level: E,
      info: 'The DynamoDB table is not in any AWS Backup selection.',
      explanation: 'Every table is backed up.',
    },
    {
      rule: own.BackupPlanDailyRule,
      level: E,
      info: 'The backup plan has no daily schedule.',
      explanation: 'Backups are taken at least daily.',
    },
    {
      rule: own.backupRuleCopyAction(scope),
      level: E,
      info: 'A backup rule has no copy action (rules in brackets).',
      explanation: 'Every recovery point exists in a second vault.',
    },
    {
      rule: own.backupPlanMinimumRetention(policy.minimumBackupRetentionDays),
      level: E,
      info: `A backup rule or copy keeps recovery points for less than ${policy.minimumBackupRetentionDays} days (rules in brackets).`,
      explanation: 'Backups are kept as long as the retention policy requires.',
    },
    {
      rule: own.RdsClusterMultiAz,
      level: E,
      info: 'The DB cluster does not have at least two instances across AZs.',
      explanation: 'The database keeps working through an AZ outage.',
    },
    {
      rule: own.LoadBalancerMultiSubnet,
      level: E,
      info: 'The load balancer spans fewer than two subnets.',
      explanation: 'The entry point keeps working through an AZ outage.',
    },
    {
      rule: own.CloudTrailMultiRegionDataEvents,
      level: E,
      info: 'The trail is not multi-region, not logging, or records no data events (in brackets).',
      explanation: 'Every API call, including object-level access, is recorded in every region.',
    },
    {
      rule: nag.cloudtrail.CloudTrailLogFileValidationEnabled,
      reused: true,
      level: E,
      info: 'The trail has no log file validation.',
      explanation: 'Tampering with audit logs can be detected.',
    },
    {
      rule: own.logGroupRetentionMinimum(policy.minimumLogRetentionDays),
      level: E,
      info: `The log group keeps events for less than ${policy.minimumLogRetentionDays} days.`,
      explanation: 'Logs are available for investigations for the required time.',
    },
    {
      rule: nag.vpc.VPCFlowLogsEnabled,
      reused: true,
      level: E,
      info: 'The VPC has no flow log.',
      explanation: 'Network traffic is recorded.',
    },
    {
      rule: nag.s3.S3BucketLoggingEnabled,
      reused: true,
      level: E,
      info: 'The bucket has no server access logging.',
      explanation: 'Access to files is recorded.',
    },
    {
      rule: nag.elb.ELBLoggingEnabled,
      reused: true,
      level: E,
      info: 'The load balancer has no access logs.',
      explanation: 'Requests to the entry points are recorded.',
    },
    {
      rule: own.CloudWatchAlarmHasAction,
      level: E,
      info: 'The alarm has no enabled alarm action.',
      explanation: 'A breached alarm reaches someone who can act.',
    },
    {
      rule: own.AlarmTopicHasSubscription,
      // A warning, not an error: the subscriber (a pager, an e-mail, a chat hook) is often wired
      // outside the templates, so synth cannot be the gate; the finding stays open until it is.
      level: W,
      info: 'The SNS topic that alarms notify has no subscription: a breached alarm reaches no one.',
      explanation:
        'Monitoring only works when an alert reaches someone who can act; subscribe the on-call endpoint.',
    },
    {
      rule: own.PrivilegedRoleMfaTrust,
      level: E,
      info: 'A role people (or a break-glass procedure) assume has a trust statement without MFA (statements in brackets).',
      explanation: 'Privileged access needs a second factor every time it is used.',
    },
    {
      rule: own.WorkloadRoleNotPrivileged,
      level: E,
      info: 'A workload role holds privileged access: AdministratorAccess, PowerUserAccess, IAMFullAccess, * or iam:* (in brackets).',
      explanation:
        'Code runs with the least privilege it needs; privileged rights are for people with MFA.',
    },
    {
      rule: own.auroraTenantPartitioning(props.tenantPartitioningResourceTypes),
      level: E,
      info: 'The Aurora cluster has no tenant-partitioning bootstrap (forced row-level security per tenant).',
      explanation: "One tenant can never read another tenant's rows.",
    },
    {
      rule: own.uploadBucketMalwareScan(props.uploadBucketTagKey),
      level: E,
      info: 'The upload bucket has no GuardDuty Malware Protection plan.',
      explanation: 'Files from outside are scanned for malware before anything trusts them.',
    },
    {
      rule: own.ContainerImageScanning,
      level: E,
      info: 'Container images are not scanned: a repository without scan on push, or a task running images from outside ECR (in brackets).',
      explanation: 'Known vulnerabilities in images are found before and while they run.',
    },
    {
      rule: own.GuardDutyDetectorEnabled,
      level: E,
      info: 'The GuardDuty detector is not enabled.',
      explanation: 'Threats are detected continuously.',
    },
    {
      rule: own.NoOpenAdminPorts,
      level: E,
      info: 'An ingress rule opens SSH or RDP to the internet (rule and port in brackets).',
      explanation: 'Administrative ports are never reachable from anywhere.',
    },
    {
      rule: own.NoInternetIngress,
      level: E,
      info:
        'An ingress rule admits 0.0.0.0/0 or ::/0 to something other than the web ports (80, 443) ' +
        "of an internet-facing load balancer's security group (rules in brackets).",
      explanation:
        'Only the named public entry points are reachable from the internet, and only on their web ports.',
    },
    {
      rule: own.DatabasePortsWithinVpc,
      level: E,
      info: 'An ingress rule opens a database port to a CIDR outside the VPC (rule and CIDR in brackets).',
      explanation: 'Databases are reachable only from inside their own network.',
    },
    {
      rule: own.DatabaseSubnetsIsolated,
      level: E,
      info: 'A database subnet routes to the internet (subnets in brackets).',
      explanation: 'Databases sit only on isolated subnets.',
    },
    {
      rule: own.loadBalancerListenerTls12(props.allowedLoadBalancerTlsPolicies),
      level: E,
      info: 'The listener is not HTTPS/TLS with an allowed TLS 1.2+ policy, nor an HTTP-to-HTTPS redirect.',
      explanation: 'Every connection uses TLS 1.2 or newer.',
    },
    {
      rule: own.ApiGatewayDomainTls12,
      level: E,
      info: 'The API domain name allows TLS older than 1.2.',
      explanation: 'Every connection uses TLS 1.2 or newer.',
    },
    {
      rule: own.CloudFrontViewerTls12,
      level: E,
      info: 'The distribution allows viewer TLS older than TLSv1.2_2021.',
      explanation: 'Every connection uses TLS 1.2 or newer.',
    },
    {
      rule: own.AuroraPostgresForceSsl,
      level: E,
      info: 'The Aurora PostgreSQL cluster does not set rds.force_ssl = 1.',
      explanation: 'The database refuses unencrypted connections.',
    },
    {
      rule: own.DatabaseSecurityGroupSourcesOnly,
      level: E,
      info: 'A database security group admits CIDR ranges (rules in brackets).',
      explanation: 'Databases accept traffic only from named security groups.',
    },
    {
      rule: own.DataStoreCustomerManagedKey,
      level: E,
      info: 'The data store is not encrypted with a customer managed KMS key (property in brackets).',
      explanation: 'The organisation controls, rotates and can revoke the keys of its data.',
    },
    {
      rule: nag.kms.KMSBackingKeyRotationEnabled,
      reused: true,
      level: E,
      info: 'The symmetric KMS key has no automatic rotation.',
      explanation: 'Key material is rotated.',
    },
    {
      rule: own.kmsKeyDeletionWindow(policy.minimumKeyDeletionWindowDays),
      level: E,
      info: `The KMS key deletion window is shorter than ${policy.minimumKeyDeletionWindowDays} days.`,
      explanation: 'A scheduled key deletion can be noticed and cancelled.',
    },
    {
      rule: own.stackInEnvironmentAccount(props),
      level: E,
      info: "The stack does not deploy to its environment's account.",
      explanation: 'Each environment lives in its own account.',
    },
    {
      rule: own.noCrossEnvironmentReference(props),
      level: E,
      info: "The resource references another environment's account (environments in brackets).",
      explanation: 'Production and non-production do not reach into each other.',
    },
    {
      rule: own.productionTerminationProtection(props),
      level: E,
      info: 'The production stack has no termination protection.',
      explanation: 'Deleting a production stack takes a deliberate change.',
    },
    {
      rule: own.DataStoreReplacePolicy,
      level: E,
      info: 'The data store has no Retain or Snapshot UpdateReplacePolicy.',
      explanation: 'A change that replaces the resource must not destroy its records.',
    },
  ];
}
