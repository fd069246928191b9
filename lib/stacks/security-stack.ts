import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AccessLogsBucket } from '../constructs/security/access-logs-bucket';
import { OAuthUserPool } from '../constructs/security/oauth-user-pool';
import { TenantClaimTrigger } from '../constructs/security/tenant-claim-trigger';
import { TenantUserPool } from '../constructs/security/tenant-user-pool';
import { OnCallTopic } from '../constructs/core/on-call-topic';
import { PlatformKey } from '../constructs/core/platform-key';
import { AccessAnalyzer } from '../constructs/security/access-analyzer';
import { AuditBucket } from '../constructs/security/audit-bucket';
import { AuditTrail } from '../constructs/security/audit-trail';
import { BreakGlassRole } from '../constructs/security/break-glass-role';
import { ConfigRecorder } from '../constructs/security/config-recorder';
import { GlobalChangeAlarms } from '../constructs/security/global-change-alarms';
import { SecurityAlerts } from '../constructs/security/security-alerts';
import { SecurityHubStandards } from '../constructs/security/security-hub-standards';
import { SignInAlarms } from '../constructs/security/sign-in-alarms';
import { ThreatDetection } from '../constructs/security/threat-detection';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';

/** The purposes a customer-managed key exists for, in every environment and region. */
export const KEY_PURPOSES = ['database', 'files', 'backup', 'alerts', 'audit'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];
/** Keys of data and evidence: protected from the account's administrators in production. */
export const PROTECTED_KEYS: readonly KeyPurpose[] = ['database', 'files', 'backup', 'audit'];

/**
 * The region's security baseline: its customer-managed keys (one per purpose, deterministic
 * aliases; each stack keys its own log groups, so stacks of the other region can name them), the
 * on-call topic, and the audit and detection services of the account in this region:
 *
 * - CloudTrail: one multi-region trail per account, in the primary region only;
 * - the audit bucket (trail log files, AWS Config deliveries), object-locked;
 * - GuardDuty, Security Hub (FSBP and NIST 800-53 rev. 5), AWS Config, IAM Access Analyzer;
 * - EventBridge rules and sign-in alarms that page on-call through the security topic.
 *
 * Deployed first in every region, so that the Data and Storage stacks of both regions can refer to
 * these keys by alias without a cycle between regions.
 */
export class SecurityStack extends PlatformStack {
  readonly keys: Record<KeyPurpose, PlatformKey>;
  readonly onCall: OnCallTopic;
  /** Receives the server access logs of every bucket of this environment and region. */
  readonly accessLogs: AccessLogsBucket;
  readonly auditBucket: AuditBucket;
  /** The account's trail: only in the environment's primary region. */
  readonly trail?: AuditTrail;
  readonly threatDetection: ThreatDetection;
  readonly securityHub: SecurityHubStandards;
  readonly configRecorder: ConfigRecorder;
  readonly accessAnalyzer: AccessAnalyzer;
  readonly alerts: SecurityAlerts;
  /**
   * The operators' Cognito user pool, the only issuer of tokens with `tenants.*` scopes (the
   * admin API's authorizer trusts it alone). Identity lives here, deployed first, so that the
   * admin API (Ingress), the lifecycle functions (Lifecycle) and the token-vending function
   * (Storage) can refer to it without a cycle between them.
   */
  readonly identity: OAuthUserPool;
  /** The tenant users' pool: tokens with a platform-set `tenant_id` claim, no operator scope. */
  readonly tenantIdentity: TenantUserPool;
  /** The tenant pool's pre-token-generation trigger. */
  readonly tenantClaimTrigger: TenantClaimTrigger;
  /** The break-glass role (IAM is global: created in the primary region only). */
  readonly breakGlass?: BreakGlassRole;
  /**
   * ARN of the break-glass role, which every protection exempts: in the primary region the created
   * role's `Arn` (`breakGlass`); in the secondary region the same role by its deterministic ARN (a
   * cross-region reference would create SSM-backed custom resources). Nobody else can create a
   * role of that name: the primary Security stack owns it, and its creation fails if it is taken.
   */
  readonly breakGlassRoleArn: string;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'Security', {
      ...props,
      description: `Security baseline of ${props.target.envName} in ${props.target.region}: keys, on-call topic, audit and threat detection`,
    });
    const { names, target } = this;
    const breakGlassName = target.env.backup.breakGlassRoleName;
    this.breakGlass =
      target.role === 'primary'
        ? new BreakGlassRole(this, 'BreakGlass', {
            roleName: breakGlassName,
            trustedUsers: target.env.backup.breakGlassPrincipals,
            maxSessionHours: target.env.backup.breakGlassMaxSessionHours,
          })
        : undefined;
    this.breakGlassRoleArn =
      this.breakGlass?.roleArn ??
      `arn:${this.partition}:iam::${this.account}:role/${breakGlassName}`;
    // In production, administrators can neither destroy nor rewrite the keys of data and evidence.
    const protection = {
      breakGlassRoleArn: this.breakGlassRoleArn,
      deploymentRoleArn: this.deploymentRoleArn,
    };
    const key = (purpose: KeyPurpose, what: string) =>
      new PlatformKey(this, `${purpose[0].toUpperCase()}${purpose.slice(1)}Key`, {
        alias: names.keyAlias(purpose),
        description: `${what} of ${target.envName} in ${target.region}`,
        protection:
          target.env.production && PROTECTED_KEYS.includes(purpose) ? protection : undefined,
      });
    this.keys = {
      database: key('database', 'Encrypts Aurora storage, its secret and the tenant registry'),
      files: key('files', "Encrypts tenants' files"),
      backup: key('backup', 'Encrypts the AWS Backup vault'),
      alerts: key('alerts', 'Encrypts the on-call topic'),
      audit: key('audit', 'Encrypts CloudTrail log files and AWS Config deliveries'),
    };
    this.onCall = new OnCallTopic(this, 'OnCall', {
      topicName: names.onCallTopic,
      securityTopicName: names.onCallSecurityTopic,
      key: this.keys.alerts.key,
      subscriptions: target.env.alerts.subscriptions,
    });

    const env = target.env;
    const primary = target.role === 'primary';
    const bucketProtection = {
      breakGlassRoleArn: this.breakGlassRoleArn,
      deploymentRoleArn: this.deploymentRoleArn,
    };
    this.accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
      bucketName: names.accessLogsBucket,
      retentionDays: env.logRetentionDays,
      protection: bucketProtection,
    });
    const retention = env.logRetentionDays as logs.RetentionDays;
    this.auditBucket = new AuditBucket(this, 'AuditBucket', {
      bucketName: names.physical('audit'),
      key: this.keys.audit.key,
      accessLogsBucketName: names.accessLogsBucket,
      lockMode: env.production ? 'COMPLIANCE' : 'GOVERNANCE',
      production: env.production,
      retentionDays: env.logRetentionDays,
      protection: bucketProtection,
    });
    this.auditBucket.node.addDependency(this.accessLogs);
    if (primary) {
      const regions = [target.region, ...(target.peerRegion ? [target.peerRegion] : [])];
      this.trail = new AuditTrail(this, 'Trail', {
        trailName: names.environmentWide('trail'),
        bucket: this.auditBucket.bucket,
        key: this.keys.audit.key,
        logsKey: this.logsKey.key,
        logGroupName: `/${names.physical('cloudtrail')}`,
        logRetention: retention,
        dataEventBucketNames: regions.flatMap((region) => [
          names.inRegion(region).filesBucket,
          names.inRegion(region).archiveBucket,
        ]),
      });
      new SignInAlarms(this, 'SignInAlarms', {
        trailLogGroup: this.trail.logGroup,
        topic: this.onCall.securityTopic,
      });
      new GlobalChangeAlarms(this, 'GlobalChangeAlarms', {
        trailLogGroup: this.trail.logGroup,
        topic: this.onCall.securityTopic,
        breakGlassRoleName: env.backup.breakGlassRoleName,
      });
    }
    this.threatDetection = new ThreatDetection(this, 'GuardDuty');
    this.securityHub = new SecurityHubStandards(this, 'SecurityHub', {
      aggregatedRegions: primary && target.peerRegion ? [target.peerRegion] : undefined,
    });
    this.configRecorder = new ConfigRecorder(this, 'Config', {
      bucket: this.auditBucket.bucket,
      key: this.keys.audit.key,
      includeGlobalResourceTypes: primary,
      ruleNamePrefix: `${names.physical('config')}-`,
    });
    this.accessAnalyzer = new AccessAnalyzer(this, 'AccessAnalyzer', {
      analyzerName: names.physical('access-analyzer'),
    });
    this.alerts = new SecurityAlerts(this, 'Alerts', {
      topic: this.onCall.securityTopic,
      breakGlassRoleName: env.backup.breakGlassRoleName,
      configRuleNamePrefix: `${names.physical('config')}-`,
    });
    this.identity = new OAuthUserPool(this, 'OAuth', {
      userPoolName: names.physical('operators'),
      domainPrefix: names.physical('auth'),
      resourceServerIdentifier: `https://${env.ingress.apiDomainName}`,
      callbackUrls: env.ingress.callbackUrls,
    });
    this.tenantClaimTrigger = new TenantClaimTrigger(this, 'TenantClaim', {
      registryTableName: names.tenantTable,
      registryKey: this.keys.database.key,
      logsKey: this.logsKey.key,
      logRetention: retention,
    });
    this.tenantIdentity = new TenantUserPool(this, 'TenantUsers', {
      userPoolName: names.physical('tenant-users'),
      domainPrefix: names.physical('tenant-auth'),
      callbackUrls: env.ingress.callbackUrls,
      preTokenGeneration: this.tenantClaimTrigger.function.function,
    });
  }
}
