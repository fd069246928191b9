/**
 * Which retention-ledger row covers each store the synthesized templates create that can hold a
 * tenant's data (DynamoDB tables, S3 buckets, RDS clusters, Cognito user pools, log groups), or
 * why the store holds none. A store is recognised by its resource type and the start of its
 * logical id (the construct path); a new store matches nothing and fails
 * test/config/retention-ledger-coverage.test.ts until it is classified here.
 */
export interface StoreCoverage {
  readonly type: string;
  /** The logical id starts with this (construct ids, stable across environments). */
  readonly logicalIdPrefix: string;
  /**
   * The ledger row (its `store` text starts with this; `secondaryRow` in the secondary region,
   * where the same construct is the replica), or why the store holds no tenant data.
   */
  readonly covered:
    | { readonly row: string; readonly secondaryRow?: string }
    | { readonly noTenantData: string };
}

/** Resource types that can store bytes: each one in a template must be classified below. */
export const STORE_TYPES: readonly string[] = [
  'AWS::DynamoDB::GlobalTable',
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::RDS::DBCluster',
  'AWS::Cognito::UserPool',
  'AWS::Logs::LogGroup',
];

/** The ledger row of the logs that carry tenant ids (kept `tenantLogRetentionDays`). */
export const TENANT_LOGS_ROW = 'logs with tenant ids';

const row = (r: string, secondaryRow?: string) => ({
  row: r,
  ...(secondaryRow ? { secondaryRow } : {}),
});
const none = (why: string) => ({ noTenantData: why });
const LOGS = 'AWS::Logs::LogGroup';

export const STORE_COVERAGE: readonly StoreCoverage[] = [
  {
    type: 'AWS::RDS::DBCluster',
    logicalIdPrefix: 'AuroraCluster',
    covered: row('live database', 'global database replica'),
  },
  {
    type: 'AWS::S3::Bucket',
    logicalIdPrefix: 'FilesBucket',
    covered: row('file bucket', 'file replica bucket'),
  },
  {
    type: 'AWS::S3::Bucket',
    logicalIdPrefix: 'ArchiveBucket',
    covered: row('archive bucket', 'archive replica bucket'),
  },
  { type: 'AWS::S3::Bucket', logicalIdPrefix: 'AccessLogsBucket', covered: row('audit records') },
  { type: 'AWS::S3::Bucket', logicalIdPrefix: 'AuditBucket', covered: row('audit records') },
  {
    type: 'AWS::S3::Bucket',
    logicalIdPrefix: 'LoadBalancerLogsBucket',
    covered: row('audit records'),
  },
  {
    type: 'AWS::S3::Bucket',
    logicalIdPrefix: 'EndpointCanariesArtifacts',
    covered: none(
      'Endpoint canary runs: logs and HAR of token-less requests answered 401, no tenant content',
    ),
  },
  {
    type: 'AWS::S3::Bucket',
    logicalIdPrefix: 'AuditReportsBucket',
    covered: none('AWS Backup audit reports: job and control compliance, no tenant content'),
  },
  {
    type: 'AWS::DynamoDB::GlobalTable',
    logicalIdPrefix: 'TenantRegistryTable',
    covered: row('tenant registry item'),
  },
  {
    type: 'AWS::DynamoDB::GlobalTable',
    logicalIdPrefix: 'TenantRegistryAuditTable',
    covered: row('lifecycle audit table'),
  },
  {
    type: 'AWS::Cognito::UserPool',
    logicalIdPrefix: 'TenantUsersUserPool',
    covered: row('tenant user pool'),
  },
  {
    type: 'AWS::Cognito::UserPool',
    logicalIdPrefix: 'OAuthUserPool',
    covered: none('platform operators and machine clients only, never a tenant user'),
  },
  // Log groups of tenant-facing functions and services: they log tenant ids.
  ...[
    'AdminDeactivateLogs',
    'AdminReactivateLogs',
    'AdminStatusLogs',
    'AdminSettingsLogs',
    'WorkersArchiveLogs',
    'WorkersPurgeLogs',
    'SweepLogs',
    'TenantClaimFunctionLogs',
    'TenantSessionVendingLogs',
    'DocumentsLogGroup',
    'AdminApiAccessLogs',
    'AuroraPostgresqlLogs',
  ].map((logicalIdPrefix) => ({ type: LOGS, logicalIdPrefix, covered: row(TENANT_LOGS_ROW) })),
  { type: LOGS, logicalIdPrefix: 'TrailLogGroup', covered: row('audit records') },
  {
    type: LOGS,
    logicalIdPrefix: 'WebAclLogGroup',
    covered: row('audit records'),
  },
  {
    type: LOGS,
    logicalIdPrefix: 'NetworkFlowLogGroup',
    covered: none('VPC flow records: addresses, ports and byte counts, no tenant id or content'),
  },
  {
    type: LOGS,
    logicalIdPrefix: 'TenantPartitioningHandlerLogs',
    covered: none('the bootstrap logs table and role names and counts, never rows'),
  },
  {
    type: LOGS,
    logicalIdPrefix: 'RestoreTestingValidatorLogs',
    covered: none('restore tests of recovery points: resource ids and table counts, never rows'),
  },
  {
    type: LOGS,
    logicalIdPrefix: 'GatewayPrefixListsLookupLogs',
    covered: none("a lookup of the gateway endpoints' prefix lists at deploy time"),
  },
  {
    type: LOGS,
    logicalIdPrefix: 'DocumentsTraceCollectorLogGroup',
    covered: none(
      "the trace collector's own lines (start, health, export errors); its spans go to X-Ray, not here",
    ),
  },
  {
    type: LOGS,
    logicalIdPrefix: 'RegionSettingsSettingsLogs',
    covered: none('AWS Backup region settings set at deploy time: resource types, no tenant id'),
  },
  {
    type: LOGS,
    logicalIdPrefix: 'RestoreSentinelWriterLogs',
    covered: none(
      'writes the restore sentinel object at deploy time: bucket and key, no tenant id',
    ),
  },
];

/** Every classification matching one template resource (exactly one is expected). */
export function coverageOf(type: string, logicalId: string): StoreCoverage[] {
  return STORE_COVERAGE.filter((c) => c.type === type && logicalId.startsWith(c.logicalIdPrefix));
}
