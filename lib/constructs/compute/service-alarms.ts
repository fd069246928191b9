import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { AlarmTarget } from '../core/on-call-alarm';
import { onCallAlarm } from '../core/on-call-alarm';
import { RUNBOOKS } from '../core/runbooks';

/** A service's target group on the public load balancer. */
export interface WatchedService {
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The load balancer's full name (`app/<name>/<id>`), the metrics' second dimension. */
  readonly loadBalancerFullName: string;
}

export interface ServiceAlarmsProps {
  readonly target: AlarmTarget;
  /** The services by short name (used in the alarm names). */
  readonly services: Readonly<Record<string, WatchedService>>;
}

/**
 * Per service: any unhealthy target for 3 of 5 minutes (a task failing its health check, degraded
 * capacity), and no healthy target at all for 2 minutes (the service is down in this region).
 */
export class ServiceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    for (const [name, service] of Object.entries(props.services)) {
      const metric = (metricName: string, statistic: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/ApplicationELB',
          metricName,
          dimensionsMap: {
            TargetGroup: service.targetGroup.targetGroupFullName,
            LoadBalancer: service.loadBalancerFullName,
          },
          statistic,
          period: Duration.minutes(1),
        });
      this.alarms.push(
        onCallAlarm(this, `${name}Unhealthy`, props.target, {
          name: `${name}-unhealthy-targets`,
          summary: `The ${name} service had unhealthy targets in 3 of 5 minutes`,
          runbook: RUNBOOKS.unhealthyTargets,
          metric: metric('UnHealthyHostCount', 'Maximum'),
          threshold: 0,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
        }),
        onCallAlarm(this, `${name}NoHealthy`, props.target, {
          name: `${name}-no-healthy-targets`,
          summary: `The ${name} service had no healthy target for 2 minutes: it is down in this region`,
          runbook: RUNBOOKS.unhealthyTargets,
          metric: metric('HealthyHostCount', 'Minimum'),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 2,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
    }
  }
}
