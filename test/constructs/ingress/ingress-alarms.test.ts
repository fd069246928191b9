import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RUNBOOK_LINK } from '../../../lib/constructs/core/runbooks';
import { IngressAlarms } from '../../../lib/constructs/ingress/ingress-alarms';
import { TEST_REGION, bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PREFIX = 'logi-prod-ap-southeast-2-ingress';
const LB_FULL_NAME = 'app/logi-prod-alb/0123456789abcdef';
const THRESHOLDS = {
  errorRatePercent: 5,
  loadBalancerP99Milliseconds: 2000,
  apiP99Milliseconds: 3000,
  rateLimitPer5Minutes: 1000,
};

/** Both 5xx-rate alarms: above the configured percentage in 2 of 3 periods, quiet without data. */
const ERROR_RATE_ALARM = {
  Threshold: THRESHOLDS.errorRatePercent,
  ComparisonOperator: 'GreaterThanThreshold',
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  TreatMissingData: 'notBreaching',
};

const stack = bareStack();
new IngressAlarms(stack, 'Alarms', {
  operational: { topic: new sns.Topic(stack, 'OnCall'), namePrefix: PREFIX },
  security: { topic: new sns.Topic(stack, 'Security'), namePrefix: PREFIX },
  loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
    loadBalancerArn: `arn:aws:elasticloadbalancing:${TEST_REGION}:333333333333:loadbalancer/${LB_FULL_NAME}`,
    securityGroupId: 'sg-0123456789abcdef0',
  }),
  webAclMetricName: 'logi-prod-ap-southeast-2-web-acl',
  adminApi: apigwv2.HttpApi.fromHttpApiAttributes(stack, 'Api', { httpApiId: 'api0123' }),
  ...THRESHOLDS,
});
const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
  (a) => a.Properties as Json,
);
const alarm = (what: string) => {
  const found = alarms.find((a) => a.AlarmName === `${PREFIX}-${what}`);
  if (!found) throw new Error(`no alarm ${PREFIX}-${what}`);
  return found;
};

/** The alarm names docs/runbooks/alarms.md gives, and the section each links. */
const RUNBOOK_SECTIONS: Record<string, string> = {
  'alb-5xx-rate': 'load-balancer-5xx',
  'alb-p99-latency': 'load-balancer-latency',
  'waf-blocked-spike': 'waf-blocked-requests',
  'admin-api-5xx-rate': 'admin-api-5xx',
  'admin-api-p99-latency': 'admin-api-latency',
};
const OPERATIONAL = [
  'alb-5xx-rate',
  'alb-p99-latency',
  'admin-api-5xx-rate',
  'admin-api-p99-latency',
];

/**
 * The value CloudWatch would compute for a metric-math alarm from one datapoint per metric id
 * (`undefined`: no datapoint), evaluating the template's expression with IF and FILL.
 */
function evaluate(properties: Json, values: Record<string, number | undefined>): number {
  const metrics = properties.Metrics as Json[];
  const [expression] = metrics.filter((m) => m.Expression);
  expect(expression.Expression).toMatch(/^[\w\s()+*/,.<>=-]+$/); // nothing but math
  const ids = metrics.filter((m) => m.MetricStat).map((m) => m.Id as string);
  expect(Object.keys(values).sort()).toEqual([...ids].sort());
  const IF = (condition: boolean, then: number, otherwise: number) =>
    condition ? then : otherwise;
  const FILL = (value: number | undefined, fill: number) => value ?? fill;
  const fn = new Function('IF', 'FILL', ...ids, `return ${expression.Expression};`);
  return fn(IF, FILL, ...ids.map((id) => values[id]));
}

/** Metric id → `namespace metric statistic period dimensions` of a metric-math alarm. */
function inputsOf(properties: Json): Record<string, string> {
  return Object.fromEntries(
    (properties.Metrics as Json[])
      .filter((m) => m.MetricStat)
      .map((m) => {
        const { Metric, Stat, Period } = m.MetricStat;
        const dims = (Metric.Dimensions as Json[]).map((d) => `${d.Name}=${d.Value}`).join(',');
        expect(m.ReturnData).toBe(false);
        return [m.Id, `${Metric.Namespace} ${Metric.MetricName} ${Stat} ${Period} ${dims}`];
      }),
  );
}

test('the five alarms the runbook names, each linking its own section', () => {
  expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
    Object.keys(RUNBOOK_SECTIONS)
      .map((what) => `${PREFIX}-${what}`)
      .sort(),
  );
  for (const [what, section] of Object.entries(RUNBOOK_SECTIONS)) {
    expect(RUNBOOK_LINK.exec(alarm(what).AlarmDescription)?.slice(1)).toEqual([
      'alarms.md',
      section,
    ]);
  }
});

test('errors and latency page operational on-call, on alarm and on recovery', () => {
  for (const what of OPERATIONAL) {
    expect(alarm(what).AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }]);
    expect(alarm(what).OKActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }]);
  }
});

test('a WAF block spike pages the security topic, on alarm and on recovery', () => {
  expect(alarm('waf-blocked-spike').AlarmActions).toEqual([
    { Ref: expect.stringMatching(/^Security/) },
  ]);
  expect(alarm('waf-blocked-spike').OKActions).toEqual([
    { Ref: expect.stringMatching(/^Security/) },
  ]);
});

test('each description states its threshold, so on-call need not open the template', () => {
  expect(alarm('alb-5xx-rate').AlarmDescription).toContain('More than 5 %');
  expect(alarm('admin-api-5xx-rate').AlarmDescription).toContain('More than 5 %');
  expect(alarm('alb-p99-latency').AlarmDescription).toContain('2000 ms');
  expect(alarm('admin-api-p99-latency').AlarmDescription).toContain('3000 ms');
  expect(alarm('waf-blocked-spike').AlarmDescription).toContain('more than 1000 requests');
});

describe('load balancer 5xx rate', () => {
  const rate = alarm('alb-5xx-rate');

  test("counts the load balancer's own 5xx and the services', per request, of this load balancer", () => {
    const dims = `LoadBalancer=${LB_FULL_NAME}`;
    expect(Object.values(inputsOf(rate)).sort()).toEqual(
      [
        `AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum 300 ${dims}`,
        `AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum 300 ${dims}`,
        `AWS/ApplicationELB RequestCount Sum 300 ${dims}`,
      ].sort(),
    );
  });

  test('is a percentage: both kinds add up, a missing count is zero, no requests is 0 %', () => {
    const ids = inputsOf(rate);
    const id = (metric: string) => Object.keys(ids).find((k) => ids[k].includes(` ${metric} `))!;
    const [elb, target, requests] = [
      id('HTTPCode_ELB_5XX_Count'),
      id('HTTPCode_Target_5XX_Count'),
      id('RequestCount'),
    ];
    expect(evaluate(rate, { [elb]: 3, [target]: 2, [requests]: 100 })).toBe(5);
    expect(evaluate(rate, { [elb]: 4, [target]: undefined, [requests]: 50 })).toBe(8);
    expect(evaluate(rate, { [elb]: undefined, [target]: 1, [requests]: 10 })).toBe(10);
    expect(evaluate(rate, { [elb]: undefined, [target]: undefined, [requests]: 0 })).toBe(0);
  });

  test('above the configured percentage in 2 of 3 five-minute periods; quiet without traffic', () => {
    expect(rate).toMatchObject(ERROR_RATE_ALARM);
    // The alarm compares the percentage, not one of its inputs.
    const returned = (rate.Metrics as Json[]).filter((m) => m.ReturnData !== false);
    expect(returned).toEqual([expect.objectContaining({ Expression: expect.any(String) })]);
  });
});

test('load balancer latency: p99 target response time, in seconds, over 15 minutes', () => {
  expect(alarm('alb-p99-latency')).toMatchObject({
    Namespace: 'AWS/ApplicationELB',
    MetricName: 'TargetResponseTime',
    Dimensions: [{ Name: 'LoadBalancer', Value: LB_FULL_NAME }],
    ExtendedStatistic: 'p99',
    Period: 300,
    // TargetResponseTime is reported in seconds: 2000 ms is 2.
    Threshold: THRESHOLDS.loadBalancerP99Milliseconds / 1000,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 3,
  });
  // Unset, CloudWatch needs every one of the 3 periods: 15 minutes.
  expect(alarm('alb-p99-latency').DatapointsToAlarm ?? 3).toBe(3);
});

test("WAF: more blocks in five minutes than one client's allowance, on every rule of this web ACL", () => {
  const waf = alarm('waf-blocked-spike');
  expect(waf).toMatchObject({
    Namespace: 'AWS/WAFV2',
    MetricName: 'BlockedRequests',
    Statistic: 'Sum',
    Period: 300,
    Threshold: THRESHOLDS.rateLimitPer5Minutes,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    TreatMissingData: 'notBreaching',
  });
  const dims = Object.fromEntries((waf.Dimensions as Json[]).map((d) => [d.Name, d.Value]));
  expect(dims).toEqual({
    WebACL: 'logi-prod-ap-southeast-2-web-acl',
    Region: TEST_REGION,
    Rule: 'ALL',
  });
});

describe('admin API 5xx rate', () => {
  const rate = alarm('admin-api-5xx-rate');

  test("counts the admin API's 5xx per request", () => {
    expect(Object.values(inputsOf(rate)).sort()).toEqual([
      'AWS/ApiGateway 5xx Sum 300 ApiId=api0123',
      'AWS/ApiGateway Count Sum 300 ApiId=api0123',
    ]);
  });

  test('is a percentage, 0 % without requests, and alarms on 2 of 3 periods above the threshold', () => {
    const ids = inputsOf(rate);
    const errors = Object.keys(ids).find((k) => ids[k].includes(' 5xx '))!;
    const requests = Object.keys(ids).find((k) => ids[k].includes(' Count '))!;
    expect(evaluate(rate, { [errors]: 3, [requests]: 30 })).toBe(10);
    expect(evaluate(rate, { [errors]: undefined, [requests]: 30 })).toBe(0);
    expect(evaluate(rate, { [errors]: 0, [requests]: 0 })).toBe(0);
    expect(rate).toMatchObject(ERROR_RATE_ALARM);
  });
});

test('admin API latency: p99 in milliseconds (as API Gateway reports it), over 15 minutes', () => {
  expect(alarm('admin-api-p99-latency')).toMatchObject({
    Namespace: 'AWS/ApiGateway',
    MetricName: 'Latency',
    Dimensions: [{ Name: 'ApiId', Value: 'api0123' }],
    ExtendedStatistic: 'p99',
    Period: 300,
    Threshold: THRESHOLDS.apiP99Milliseconds,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 3,
  });
});
