/**
 * Where on-call reads what to do about an alarm: a section of a runbook under `docs/runbooks/`.
 * Every alarm's description ends with `Runbook: docs/runbooks/<file>#<anchor>`;
 * test/monitoring/alarms.test.ts checks in every synthesized template that the file exists and
 * has a heading with that anchor.
 */
export interface Runbook {
  /** File under docs/runbooks/, e.g. `alarms.md`. */
  readonly file: string;
  /** The anchor of a heading in it (GitHub's slug: lowercase, spaces to hyphens). */
  readonly anchor: string;
}

const alarms = (anchor: string): Runbook => ({ file: 'alarms.md', anchor });

/** The runbook sections alarms point at. */
export const RUNBOOKS = {
  endpointCanaries: alarms('endpoint-canaries'),
  loadBalancerErrors: alarms('load-balancer-5xx'),
  loadBalancerLatency: alarms('load-balancer-latency'),
  unhealthyTargets: alarms('unhealthy-targets'),
  wafBlocked: alarms('waf-blocked-requests'),
  apiErrors: alarms('admin-api-5xx'),
  apiLatency: alarms('admin-api-latency'),
  fileReplication: alarms('file-replication'),
  queueAge: alarms('queue-age'),
  deadLetters: alarms('dead-letter-queues'),
  functionErrors: alarms('function-errors'),
  functionThrottles: alarms('function-throttles'),
  databaseCpu: alarms('database-cpu'),
  databaseMemory: alarms('database-freeable-memory'),
  databaseConnections: alarms('database-connections'),
  globalReplicationLag: alarms('global-replication-lag'),
  backupJobs: alarms('backup-job-failures'),
  restoreTests: { file: 'restore-testing-results.md', anchor: 'how-to-read-it' },
  lifecycleSweep: alarms('lifecycle-sweep-missed'),
  lifecycleFailed: alarms('lifecycle-tenants-failed'),
  securityTrail: alarms('security-sign-in-and-change-alarms'),
} as const satisfies Record<string, Runbook>;

/** `docs/runbooks/<file>#<anchor>`, as alarm descriptions quote it. */
export function runbookPath(runbook: Runbook): string {
  return `docs/runbooks/${runbook.file}#${runbook.anchor}`;
}

/** A description that ends with its runbook link. */
export function withRunbook(description: string, runbook: Runbook): string {
  return `${description.replace(/[.\s]+$/, '')}. Runbook: ${runbookPath(runbook)}`;
}

/** The pattern of the runbook link in an alarm description. */
export const RUNBOOK_LINK = /Runbook: docs\/runbooks\/([\w.-]+\.md)#([\w-]+)$/;
