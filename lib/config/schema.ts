import { z } from 'zod';
import { ISO27001_POLICY_FLOORS } from '@logistics-platform/cdk-iso27001';
import { alertsSchema } from './alerts-schema';
import { monitoringSchema } from './monitoring-schema';

/**
 * The platform configuration: one typed object, validated once at the start of the app and passed
 * down. Constructs never read context or environment variables themselves.
 *
 * Every field's message says what is wrong; `lib/config/problems.ts` adds how to fix it.
 */

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export const regionSchema = z
  .string({ error: 'must be an AWS region code' })
  .regex(REGION_PATTERN, { error: (iss) => `"${String(iss.input)}" is not an AWS region code` });

const positiveDays = (what: string) =>
  z
    .number({ error: `${what} must be a number of days` })
    .int({ error: `${what} must be a whole number of days` })
    .positive({ error: `${what} must be at least 1 day` });

const logRetention = z
  .number({ error: 'must be a number of days' })
  .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
    error: (iss) =>
      `${String(iss.input)} days is not a retention period CloudWatch Logs accepts ` +
      `(one of ${LOG_RETENTION_DAYS.join(', ')})`,
  });

export const cidrSchema = z.string({ error: 'must be an IPv4 CIDR block' }).refine(
  (value) => {
    const m = CIDR_PATTERN.exec(value);
    if (!m) return false;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix < 16 || prefix > 22) return false;
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    return address % 2 ** (32 - prefix) === 0;
  },
  {
    error: (iss) =>
      `"${String(iss.input)}" is not a VPC CIDR block between /16 and /22 with its host bits at zero`,
  },
);

export const regionNetworkSchema = z.strictObject({
  /** The VPC's IPv4 range; never overlaps another environment's or region's. */
  vpcCidr: cidrSchema,
  /**
   * The three availability zones the VPC spans. Set into the app's context so synth needs no AWS
   * call. @default the region's zones a, b and c
   */
  availabilityZones: z
    .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: 'is not a zone name' }))
    .length(3, { error: 'must list exactly three availability zones' })
    .optional(),
});

export const backupRetentionSchema = z.strictObject({
  /** Days a daily recovery point is kept (and its cross-region copy). */
  dailyRetentionDays: positiveDays('dailyRetentionDays'),
  /** Days a monthly recovery point is kept (and its cross-region copy). */
  monthlyRetentionDays: positiveDays('monthlyRetentionDays'),
  /** Days of continuous backup for point-in-time restore (AWS Backup allows 1 to 35). */
  continuousRetentionDays: positiveDays('continuousRetentionDays').max(35, {
    error: 'continuousRetentionDays cannot exceed 35 days (the AWS Backup limit)',
  }),
  /** Vault lock: recovery points must be kept at least this many days... */
  vaultLockMinRetentionDays: positiveDays('vaultLockMinRetentionDays'),
  /** ...and at most this many days. */
  vaultLockMaxRetentionDays: positiveDays('vaultLockMaxRetentionDays'),
  /**
   * Days after which the vault lock becomes immutable (compliance mode, at least 3); omit for a
   * lock that can still be removed (governance mode: dev and test). @default governance mode
   */
  vaultLockImmutableAfterDays: positiveDays('vaultLockImmutableAfterDays')
    .min(3, { error: 'vaultLockImmutableAfterDays must be at least 3 (the AWS Backup minimum)' })
    .optional(),
  /** Role name (in the environment's account) allowed to delete recovery points: break glass. */
  breakGlassRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: 'must be an IAM role name' }),
  /**
   * The IAM users (ARNs in the environment's account) who may assume the break-glass role, with
   * MFA. Users, not roles: a role session that assumes another role carries no MFA context, so a
   * role could never meet the MFA condition of the trust policy.
   */
  breakGlassPrincipals: z
    .array(
      z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:user\/[\w+=,.@/-]{1,512}$/, {
        error:
          'must be the ARN of an IAM user, arn:aws:iam::<account>:user/<name> (no wildcards; roles cannot carry MFA into a role assumption)',
      }),
    )
    .min(1, { error: 'name at least one IAM user who may assume the break-glass role' }),
  /** Longest break-glass session, in hours (IAM allows 1 to 12). @default 1 */
  breakGlassMaxSessionHours: z
    .number()
    .int()
    .min(1, { error: 'breakGlassMaxSessionHours must be at least 1 (the IAM minimum)' })
    .max(12, { error: 'breakGlassMaxSessionHours cannot exceed 12 (the IAM maximum)' })
    .default(1),
  /**
   * Where the daily and monthly recovery points are also copied, out of reach of the account's
   * administrators: an AWS Backup logically air-gapped vault created in this account (AWS-owned,
   * locked, no one in the account can delete its recovery points before their retention), or a
   * vault in a separate backup account. Required in production (see the invariants).
   * @default none (dev and test)
   */
  isolatedCopy: z
    .discriminatedUnion(
      'kind',
      [
        z.strictObject({
          kind: z.literal('logically-air-gapped'),
          /** Days the air-gapped vault keeps every copy at least (7 or more). */
          minRetentionDays: positiveDays('isolatedCopy.minRetentionDays').min(7, {
            error: 'minRetentionDays must be at least 7 (the AWS Backup minimum)',
          }),
          /** ...and at most. */
          maxRetentionDays: positiveDays('isolatedCopy.maxRetentionDays'),
        }),
        z.strictObject({
          kind: z.literal('backup-account'),
          /** ARN of the vault in the separate backup account (its policy admits this account). */
          vaultArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[\w.-]{2,50}$/, {
              error:
                'must be the ARN of a vault in the backup account, arn:aws:backup:<region>:<account>:backup-vault:<name>',
            }),
        }),
      ],
      {
        error:
          'kind must be "logically-air-gapped" (a vault of this account no one in it can empty) or "backup-account" (with vaultArn)',
      },
    )
    .optional(),
  /** Schedule of the restore testing plan, e.g. `cron(0 3 ? * SUN *)`. */
  restoreTestingSchedule: z
    .string()
    .regex(/^(cron|rate)\(.+\)$/, { error: 'must be a cron(...) or rate(...) expression' }),
});

export const ingressSchema = z.strictObject({
  /** Public host name of the application load balancer, e.g. `app.example.com`. */
  domainName: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, { error: 'must be a DNS name' }),
  /** Public host name of the API, e.g. `api.example.com`. */
  apiDomainName: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, { error: 'must be a DNS name' }),
  /** ACM certificate ARN per region, covering both names. */
  certificateArns: z.record(
    z.string(),
    z.string().regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, {
      error: 'must be an ACM certificate ARN',
    }),
  ),
  /** Requests per 5 minutes per IP before the WAF rate rule blocks. */
  rateLimitPer5Minutes: z.number().int().min(100, { error: 'AWS WAF needs at least 100' }),
  /** OAuth callback URLs of the user client (authorization code with PKCE). */
  callbackUrls: z.array(z.string().regex(/^https:\/\//, { error: 'must be an https URL' })).min(1),
});

export const databaseSchema = z.strictObject({
  /** Aurora PostgreSQL engine version; must be listed in the top-level `auroraEngineVersions`. */
  engineVersion: z
    .string({ error: 'must be an engine version such as "16.6"' })
    .regex(/^\d+\.\d+$/, { error: 'must be an engine version such as "16.6"' }),
  /** Instance class without the `db.` prefix, e.g. `r6g.large`. */
  instanceClass: z
    .string({ error: 'must be an instance class such as "r6g.large"' })
    .regex(/^[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an instance class such as "r6g.large"' }),
  /** Readers in the primary region, each in another AZ than the writer. */
  readers: z.number().int().min(1, { error: 'at least one reader keeps a standby in another AZ' }),
  /** Days of automated backups, which is also the point-in-time-restore window (7 to 35). */
  backupRetentionDays: positiveDays('backupRetentionDays')
    .min(7, { error: 'backupRetentionDays must be at least 7 days' })
    .max(35, { error: 'backupRetentionDays cannot exceed 35 days (the RDS limit)' }),
  /** Make the cluster an Aurora global database with a secondary cluster in the secondary region. */
  globalDatabase: z.boolean({ error: 'must be true or false' }),
  /** Alarm when global replication lag exceeds this many seconds. */
  replicationLagAlarmSeconds: z
    .number({ error: 'must be a number of seconds' })
    .positive({ error: 'replicationLagAlarmSeconds must be more than 0 seconds' }),
});

export const storageSchema = z.strictObject({
  /** Object Lock mode of the files bucket: GOVERNANCE (dev, test) or COMPLIANCE (prod). */
  objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE'], {
    error: 'must be "GOVERNANCE" or "COMPLIANCE"',
  }),
  /** Default retention of every new file version, in days (at most the closure grace period). */
  objectLockDays: positiveDays('objectLockDays'),
  /** Days after which a noncurrent version moves to Standard-IA (S3 requires at least 30). */
  noncurrentTransitionDays: positiveDays('noncurrentTransitionDays').min(30, {
    error: 'noncurrentTransitionDays must be at least 30 (the S3 minimum for Standard-IA)',
  }),
  /** Days after which a noncurrent version is deleted. */
  noncurrentExpirationDays: positiveDays('noncurrentExpirationDays'),
  /** S3 Replication Time Control (99.99% of objects within 15 minutes). */
  replicationTimeControl: z.boolean({ error: 'must be true or false' }),
});

/** Fargate task sizes: CPU units and the memory (MiB) each allows. */
export const FARGATE_MEMORY_MIB: Readonly<Record<number, readonly [number, number]>> = {
  256: [512, 2048],
  512: [1024, 4096],
  1024: [2048, 8192],
  2048: [4096, 16384],
  4096: [8192, 30720],
};

const taskCount = (what: string) =>
  z
    .number({ error: `${what} must be a number of tasks` })
    .int({ error: `${what} must be a whole number of tasks` })
    .min(1, { error: `${what} must be at least 1 task` });

export const computeSchema = z.strictObject({
  /** Tasks of each service at rest (the autoscaling minimum); production needs one per AZ (3+). */
  desiredCount: taskCount('desiredCount'),
  /** Autoscaling maximum of each service. */
  maxCount: taskCount('maxCount'),
  /** Fargate CPU units of a task (256 = 0.25 vCPU). */
  cpu: z.number().refine((v) => v in FARGATE_MEMORY_MIB, {
    error: (iss) =>
      `${String(iss.input)} is not a Fargate CPU size (one of ${Object.keys(FARGATE_MEMORY_MIB).join(', ')})`,
  }),
  /** Memory of a task (MiB), within what `cpu` allows. */
  memoryMiB: z.number().int({ error: 'memoryMiB must be a whole number of MiB' }),
});

export const environmentSchema = z.strictObject({
  /** The environment's own AWS account (12 digits). */
  account: z.string({ error: 'must be a 12-digit AWS account id in quotes' }).regex(/^\d{12}$/, {
    error: (iss) => `"${String(iss.input)}" is not a 12-digit AWS account id`,
  }),
  /** Production environments get immutable locks, termination protection and stricter minimums. */
  production: z.boolean({ error: 'must be true or false' }),
  /** Region the environment's writers run in. */
  primaryRegion: regionSchema,
  /** Region of the global database replica, file replicas and backup copies. @default none */
  secondaryRegion: regionSchema.optional(),
  /** Network settings per region: one entry for the primary and one for the secondary region. */
  regions: z.record(regionSchema, regionNetworkSchema, {
    error: 'must map region codes to networks',
  }),
  /** One NAT gateway per availability zone (survives an AZ outage) or a single shared one. */
  natGateways: z.enum(['perAz', 'single'], { error: 'must be "perAz" or "single"' }),
  /**
   * Retention of infrastructure and audit logs (CloudTrail, database, S3 access logs): records of
   * what happened, kept as security evidence; at least a year for the Control Tower controls.
   */
  logRetentionDays: logRetention,
  /**
   * Retention of the log groups whose entries carry tenant ids (lifecycle functions, admin API
   * access logs); bounded by the closure promise (see the retention ledger).
   */
  tenantLogRetentionDays: logRetention,
  /** Retention of VPC flow logs (days); production keeps at least 365. */
  flowLogRetentionDays: logRetention,
  /** Backup retention periods. */
  backup: backupRetentionSchema,
  /** Aurora PostgreSQL. */
  database: databaseSchema,
  /** Tenants' files. */
  storage: storageSchema,
  /** Public entry points. */
  ingress: ingressSchema,
  /** The container services' tasks (the Compute stack). */
  compute: computeSchema,
  /** Who receives the on-call alerts, by severity (required with a subscriber in production). */
  alerts: alertsSchema,
  /** Alarm thresholds and DNS failover (see monitoring-schema.ts). @default the defaults there */
  monitoring: monitoringSchema.optional(),
});

export const retentionSchema = z.strictObject({
  /** Days a deactivated tenant's data stays live and the tenant can be reactivated. */
  closureGraceDays: positiveDays('closureGraceDays'),
  /** Days an archived tenant's data is kept before it is permanently deleted. */
  archiveRetentionDays: positiveDays('archiveRetentionDays'),
  /** Days beyond grace + archive retention within which every copy of a tenant's bytes is gone. */
  ledgerMarginDays: positiveDays('ledgerMarginDays'),
});

const policyDays = (field: keyof typeof ISO27001_POLICY_FLOORS, what: string) =>
  positiveDays(field).min(ISO27001_POLICY_FLOORS[field], {
    error: (iss) =>
      `${field} is ${String(iss.input)} days, below the ISO 27001 pack's floor for ${what} ` +
      `(${ISO27001_POLICY_FLOORS[field]} days): raise it`,
  });

/**
 * The organisation's compliance policy: the minimums the ISO 27001 pack checks every environment
 * against. Stated here on its own, never derived from the values it audits (the environments'
 * retention settings), and refused below the pack's floors.
 */
export const compliancePolicySchema = z.strictObject({
  /** Every CloudWatch log group keeps events at least this many days (pack floor: 90). */
  minimumLogRetentionDays: policyDays('minimumLogRetentionDays', 'log retention'),
  /** Every backup rule and copy keeps recovery points at least this many days (floor: 7). */
  minimumBackupRetentionDays: policyDays('minimumBackupRetentionDays', 'backup retention'),
  /** Every KMS key waits at least this many days before deletion (7 to 30). */
  minimumKeyDeletionWindowDays: policyDays(
    'minimumKeyDeletionWindowDays',
    'the key deletion window',
  ).max(30, { error: 'minimumKeyDeletionWindowDays cannot exceed 30 days (the AWS limit)' }),
});

export const complianceSchema = z.strictObject({
  /** cdk-nag AwsSolutions pack. */
  awsSolutions: z.boolean(),
  /** cdk-nag NIST 800-53 rev 5 pack. */
  nist80053r5: z.boolean(),
  /** cdk-nag HIPAA Security pack. */
  hipaa: z.boolean(),
  /** cdk-nag PCI DSS 3.2.1 pack. */
  pciDss321: z.boolean(),
  /** Control Tower proactive controls run by cfn-guard. */
  controlTower: z.boolean(),
  /** The minimums the ISO 27001 pack enforces (the organisation's policy). */
  policy: compliancePolicySchema,
});

export const platformSchema = z.strictObject({
  /** Short application name used in every physical name: `<app>-<env>-<region>-<purpose>`. */
  app: z.string({ error: 'must be a short lowercase name' }).regex(/^[a-z][a-z0-9]{1,11}$/, {
    error: 'must be 2 to 12 lowercase letters or digits, starting with a letter',
  }),
  /** Owner tag on every resource. */
  owner: z.string({ error: 'must be a team name' }).min(1, { error: 'must not be empty' }),
  /** DataClassification tag on every resource. */
  dataClassification: z.enum(['public', 'internal', 'confidential', 'restricted'], {
    error: 'must be one of public, internal, confidential, restricted',
  }),
  /** Data residency: every region used by any environment must be in this list. */
  allowedRegions: z.array(regionSchema).min(1, { error: 'must list at least one region' }),
  /**
   * Aurora PostgreSQL engine versions this platform may use, and whether each supports Aurora
   * global databases.
   */
  auroraEngineVersions: z.record(
    z.string().regex(/^\d+\.\d+$/, { error: 'engine versions look like "16.6"' }),
    z.strictObject({ globalDatabase: z.boolean() }),
  ),
  /** Validation packs run at synth. */
  compliance: complianceSchema,
  /** The tenant closure promise. */
  retention: retentionSchema,
  /** Environments by name (lowercase), e.g. dev, test, prod. */
  environments: z
    .record(
      z.string().regex(/^[a-z][a-z0-9]{1,9}$/, {
        error: 'environment names are 2 to 10 lowercase letters or digits',
      }),
      environmentSchema,
    )
    .refine((envs) => Object.keys(envs).length > 0, {
      error: 'must define at least one environment',
    }),
});

export type PlatformConfig = z.infer<typeof platformSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type RegionNetworkConfig = z.infer<typeof regionNetworkSchema>;
export type ComplianceConfig = z.infer<typeof complianceSchema>;
export type CompliancePolicyConfig = z.infer<typeof compliancePolicySchema>;
export type RetentionConfig = z.infer<typeof retentionSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type StorageConfig = z.infer<typeof storageSchema>;
export type IngressConfig = z.infer<typeof ingressSchema>;
export type BackupConfig = z.infer<typeof backupRetentionSchema>;
export type ComputeConfig = z.infer<typeof computeSchema>;
export type { AlertsConfig, AlertSubscriptionConfig } from './alerts-schema';
export type { HostedZoneConfig, MonitoringConfig } from './monitoring-schema';
