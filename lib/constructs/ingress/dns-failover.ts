import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** A public name and the regional endpoint it points at in this region. */
export interface FailoverName {
  /** Short name used in ids and health-check names (`app`, `api`). */
  readonly id: string;
  /** The public DNS name, inside the hosted zone. */
  readonly domainName: string;
  /** The regional endpoint's DNS name (the load balancer's, the API's regional domain). */
  readonly targetDnsName: string;
  /** The hosted zone id of the regional endpoint (for the alias). */
  readonly targetHostedZoneId: string;
  /**
   * Let Route 53 also use the target's own health (a load balancer with no healthy target is
   * unhealthy). @default false
   */
  readonly evaluateTargetHealth?: boolean;
}

export interface DnsFailoverProps {
  readonly hostedZoneId: string;
  readonly zoneName: string;
  /** PRIMARY in the environment's primary region, SECONDARY in the other. */
  readonly failover: 'PRIMARY' | 'SECONDARY';
  /** Distinguishes this region's record set from the other region's, e.g. the region code. */
  readonly setIdentifier: string;
  /** Prefix of the health checks' Name tags, e.g. `logi-prod-ap-southeast-2-ingress`. */
  readonly namePrefix: string;
  readonly names: readonly FailoverName[];
  /** Config path of the zone, for the error of a name outside it. */
  readonly field: string;
}

/** Seconds between health checks: Route 53's fast interval. */
export const HEALTH_CHECK_INTERVAL_SECONDS = 10;
/** Consecutive failures before Route 53 counts an endpoint unhealthy. */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;

/**
 * DNS failover of the public names in one region: per name, a Route 53 health check of the
 * regional endpoint (TCP 443 from Route 53's checkers around the world: the endpoint accepts TLS
 * connections from the internet; an HTTPS check would count the admin API's 401 to an
 * unauthenticated request, and the load balancer's 404 outside the services' paths, as failures)
 * and an alias record `Failover: PRIMARY|SECONDARY` carrying it. Route 53 answers with the
 * primary region's endpoint while its check passes (and, for the load balancer, while it has a
 * healthy target), otherwise with the secondary's. Route 53 publishes the checks' metrics only in
 * us-east-1; see docs/runbooks/regional-failover.md#dns.
 */
export class DnsFailover extends Construct {
  readonly healthChecks: route53.CfnHealthCheck[] = [];
  readonly records: route53.CfnRecordSet[] = [];

  constructor(scope: Construct, id: string, props: DnsFailoverProps) {
    super(scope, id);
    for (const name of props.names) {
      if (!`.${name.domainName}`.endsWith(`.${props.zoneName}`)) {
        throw new Error(
          `${props.field}.zoneName: ${name.domainName} is not inside the hosted zone ` +
            `${props.zoneName}. Fix: use the zone that holds the environment's ingress names`,
        );
      }
      const check = new route53.CfnHealthCheck(this, `${name.id}HealthCheck`, {
        healthCheckConfig: {
          type: 'TCP',
          fullyQualifiedDomainName: name.targetDnsName,
          port: 443,
          requestInterval: HEALTH_CHECK_INTERVAL_SECONDS,
          failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
        },
        healthCheckTags: [{ key: 'Name', value: `${props.namePrefix}-${name.id}-health` }],
      });
      this.healthChecks.push(check);
      this.records.push(
        new route53.CfnRecordSet(this, `${name.id}Record`, {
          hostedZoneId: props.hostedZoneId,
          name: `${name.domainName}.`,
          type: 'A',
          setIdentifier: props.setIdentifier,
          failover: props.failover,
          healthCheckId: check.attrHealthCheckId,
          aliasTarget: {
            dnsName: name.targetDnsName,
            hostedZoneId: name.targetHostedZoneId,
            evaluateTargetHealth: name.evaluateTargetHealth ?? false,
          },
        }),
      );
    }
  }
}
