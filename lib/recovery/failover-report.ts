import type { RecoveryTarget } from './target';

/** What `failover` moved, and what the operator must still do, component by component. */
export interface FailoverReport {
  readonly moved: readonly string[];
  /** Each remaining step names its component and the runbook section with the commands. */
  readonly remaining: readonly string[];
}

const RUNBOOK = 'docs/runbooks/regional-failover.md';

/**
 * The report after the writer moved to `target.region` (from `oldRegion`). Pure: built from the
 * config (hosted zone or not, the names) so the operator sees exactly what is left.
 */
export function failoverReport(
  target: RecoveryTarget,
  mode: 'switchover' | 'failover',
  oldRegion: string | undefined,
): FailoverReport {
  const { names, env, region, envName } = target;
  const from = oldRegion ?? '<old primary region>';
  const zone = env.monitoring?.hostedZone;
  const { domainName, apiDomainName } = env.ingress;
  const dns = zone
    ? mode === 'failover'
      ? `DNS (${RUNBOOK}#dns): Route 53 answers ${domainName} and ${apiDomainName} with ${region} once the health checks of ${from} fail (about 30 s after it became unreachable); confirm with: dig +short ${domainName}. If ${from} still answers but is broken, invert its health checks (aws route53 update-health-check --health-check-id <id> --inverted).`
      : `DNS (${RUNBOOK}#dns): ${from} is healthy, so Route 53 still answers ${domainName} and ${apiDomainName} with it: invert the health checks named ${names.inRegion(from).physical('ingress')}-app-health and -api-health (aws route53 update-health-check --health-check-id <id> --inverted) to send the names to ${region}.`
    : `DNS (${RUNBOOK}#dns): no hosted zone in the config: in your DNS, repoint ${domainName} at the load balancer of ${region} (aws elbv2 describe-load-balancers --region ${region} --query "LoadBalancers[?Scheme=='internet-facing'].[LoadBalancerName,DNSName]") and ${apiDomainName} at the admin API's regional domain (aws apigatewayv2 get-domain-name --region ${region} --domain-name ${apiDomainName} --query 'DomainNameConfigurations[0].ApiGatewayDomainName').`;
  // Replication runs from the primary region to the secondary only: what the secondary received
  // while it was the writer is brought back before the way back (failback-files).
  const failback =
    region !== env.primaryRegion
      ? ` Before that, bring back the files ${region} received meanwhile (nothing replicates back): npm run restore -- failback-files --env ${envName} --buckets files --since <failover-time> (a dry run; then --apply).`
      : '';
  return {
    moved: [
      `Database: ${region} now hosts the writer of ${names.globalCluster} (${mode}${oldRegion ? ` from ${oldRegion}` : ''}); the services and workers reach it through the cluster endpoint of ${names.auroraCluster} in ${region}.`,
    ],
    remaining: [
      dns,
      `User pools (${RUNBOOK}#user-pools-sessions-and-users): ${region} has its own pools (${names.physical('operators')}, ${names.physical('tenant-users')}); tokens and sessions of ${from}'s pools are not accepted there, so every user signs in again, and only users that exist in ${region}'s pools can: import the last tenant-user export, and confirm the on-call operators exist.`,
      `Services (${RUNBOOK}#services): check that the services of ${region} have healthy targets and scale up for the whole load: aws ecs describe-services --region ${region} --cluster ${names.physical('services')} --services documents`,
      `Lifecycle (${RUNBOOK}#the-tenant-lifecycle): nothing to do: from the next 02:00 UTC sweep, ${region}'s sweep claims and its workers archive on its cluster; ${from}'s claim nothing, and a job already queued in ${from} is given back to ${region}. While ${from} is down, archive jobs fail where they delete its file versions (see the section).`,
      `Way back (${RUNBOOK}#the-way-back): when ${from} is healthy and its cluster is a secondary member again: npm run restore -- failover --env ${envName} --to ${from}, then move DNS and the pools back the same way.${failback}`,
    ],
  };
}

/** The report as printed. */
export function formatFailoverReport(report: FailoverReport): string {
  return [
    '',
    'Moved:',
    ...report.moved.map((line) => `  - ${line}`),
    'Still to do:',
    ...report.remaining.map((line, i) => `  ${i + 1}. ${line}`),
  ].join('\n');
}
