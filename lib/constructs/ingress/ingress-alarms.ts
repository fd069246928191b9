import { Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { AlarmTarget } from '../core/on-call-alarm';
import { FIVE_MINUTES, onCallAlarm } from '../core/on-call-alarm';
import { RUNBOOKS } from '../core/runbooks';

export interface IngressAlarmsProps {
  /** Operational alarms (errors, latency). */
  readonly operational: AlarmTarget;
  /** Security alarms (WAF block spikes). */
  readonly security: AlarmTarget;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The web ACL's CloudWatch metric name (its `visibilityConfig.metricName`). */
  readonly webAclMetricName: string;
  /** The WAF rate rule's limit per IP and 5 minutes: a spike is more blocks than one client's allowance. */
  readonly rateLimitPer5Minutes: number;
  readonly adminApi: apigwv2.IHttpApi;
  /** Share of 5xx answers that alarms, percent. */
  readonly errorRatePercent: number;
  readonly loadBalancerP99Milliseconds: number;
  readonly apiP99Milliseconds: number;
}

/** 5xx answers as a percentage of requests, 0 when there are none. */
export function errorRate(
  errors: Record<string, cloudwatch.IMetric>,
  requests: cloudwatch.IMetric,
  label: string,
): cloudwatch.MathExpression {
  const sum = Object.keys(errors)
    .map((k) => `FILL(${k}, 0)`)
    .join(' + ');
  return new cloudwatch.MathExpression({
    expression: `IF(requests > 0, 100 * (${sum}) / requests, 0)`,
    usingMetrics: { ...errors, requests },
    label,
    period: FIVE_MINUTES,
  });
}

/**
 * Alarms of the public entry points: the load balancer's 5xx rate (its own and its targets') and
 * p99 target response time; WAF blocked-request spikes (security); the admin API's 5xx rate and p99
 * latency. Error rates need two of three 5-minute periods, so one bad deploy minute does not page.
 */
export class IngressAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IngressAlarmsProps) {
    super(scope, id);
    const lb = props.loadBalancer.metrics;
    const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
    const p99 = { period: FIVE_MINUTES, statistic: 'p99' };
    const { errorRatePercent } = props;
    this.alarms = [
      onCallAlarm(this, 'LoadBalancer5xx', props.operational, {
        name: 'alb-5xx-rate',
        summary: `More than ${errorRatePercent} % of the load balancer's requests answered 5xx (its own or the services') in 2 of 3 five-minute periods`,
        runbook: RUNBOOKS.loadBalancerErrors,
        metric: errorRate(
          {
            elb: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, sum),
            target: lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, sum),
          },
          lb.requestCount(sum),
          'ALB 5xx %',
        ),
        threshold: errorRatePercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      }),
      onCallAlarm(this, 'LoadBalancerLatency', props.operational, {
        name: 'alb-p99-latency',
        summary: `The services' p99 response time behind the load balancer exceeded ${props.loadBalancerP99Milliseconds} ms for 15 minutes`,
        runbook: RUNBOOKS.loadBalancerLatency,
        // TargetResponseTime is reported in seconds.
        metric: lb.targetResponseTime(p99),
        threshold: props.loadBalancerP99Milliseconds / 1000,
        evaluationPeriods: 3,
      }),
      onCallAlarm(this, 'WafBlockedSpike', props.security, {
        name: 'waf-blocked-spike',
        summary: `The web ACL blocked more than ${props.rateLimitPer5Minutes} requests in 5 minutes (more than one client's rate allowance): an attack or a client gone wrong`,
        runbook: RUNBOOKS.wafBlocked,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/WAFV2',
          metricName: 'BlockedRequests',
          dimensionsMap: {
            WebACL: props.webAclMetricName,
            Region: Stack.of(this).region,
            Rule: 'ALL',
          },
          ...sum,
        }),
        threshold: props.rateLimitPer5Minutes,
      }),
      onCallAlarm(this, 'AdminApi5xx', props.operational, {
        name: 'admin-api-5xx-rate',
        summary: `More than ${errorRatePercent} % of the admin API's requests answered 5xx in 2 of 3 five-minute periods`,
        runbook: RUNBOOKS.apiErrors,
        metric: errorRate(
          { errors: props.adminApi.metricServerError(sum) },
          props.adminApi.metricCount(sum),
          'admin API 5xx %',
        ),
        threshold: errorRatePercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      }),
      onCallAlarm(this, 'AdminApiLatency', props.operational, {
        name: 'admin-api-p99-latency',
        summary: `The admin API's p99 latency exceeded ${props.apiP99Milliseconds} ms for 15 minutes`,
        runbook: RUNBOOKS.apiLatency,
        metric: props.adminApi.metricLatency(p99),
        threshold: props.apiP99Milliseconds,
        evaluationPeriods: 3,
      }),
    ];
  }
}
