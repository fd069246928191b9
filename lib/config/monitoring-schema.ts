import { z } from 'zod';

const percent = (field: string) =>
  z
    .number({ error: `${field} must be a percentage` })
    .gt(0, { error: `${field} must be more than 0 %` })
    .max(100, { error: `${field} cannot exceed 100 %` });

const milliseconds = (field: string) =>
  z
    .number({ error: `${field} must be a number of milliseconds` })
    .int({ error: `${field} must be a whole number of milliseconds` })
    .positive({ error: `${field} must be more than 0 ms` });

/**
 * A Route 53 public hosted zone holding the service's and the admin API's names: with it, each
 * name gets failover records (primary region first) steered by health checks.
 */
export const hostedZoneSchema = z.strictObject({
  /** The zone's id, e.g. `Z0123456789ABCDEFGHIJ`. */
  hostedZoneId: z
    .string({ error: 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' })
    .regex(/^Z[A-Z0-9]{4,32}$/, {
      error: 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
    }),
  /** The zone's name; `ingress.domainName` and `ingress.apiDomainName` must be inside it. */
  zoneName: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, { error: 'must be a DNS name' }),
});

/**
 * Alarm thresholds that are a matter of the service level rather than of the resources (those are
 * derived: connections from the instance class, WAF spikes from the rate limit, queue age from the
 * visibility timeout and retries). Every field has a default.
 */
export const monitoringSchema = z.strictObject({
  /** Share of requests answered 5xx (load balancer, admin API) that alarms. @default 5 */
  errorRatePercent: percent('errorRatePercent').optional(),
  /** p99 target response time of the load balancer that alarms. @default 2000 */
  loadBalancerP99Milliseconds: milliseconds('loadBalancerP99Milliseconds').optional(),
  /** p99 latency of the admin API that alarms. @default 3000 */
  apiP99Milliseconds: milliseconds('apiP99Milliseconds').optional(),
  /** DNS failover of the public names. @default none (no failover records, no health checks) */
  hostedZone: hostedZoneSchema.optional(),
});

export type MonitoringConfig = z.infer<typeof monitoringSchema>;
export type HostedZoneConfig = z.infer<typeof hostedZoneSchema>;

/** The thresholds with their defaults applied. */
export interface MonitoringThresholds {
  readonly errorRatePercent: number;
  readonly loadBalancerP99Milliseconds: number;
  readonly apiP99Milliseconds: number;
}

export function monitoringThresholds(config: MonitoringConfig | undefined): MonitoringThresholds {
  return {
    errorRatePercent: config?.errorRatePercent ?? 5,
    loadBalancerP99Milliseconds: config?.loadBalancerP99Milliseconds ?? 2000,
    apiP99Milliseconds: config?.apiP99Milliseconds ?? 3000,
  };
}
