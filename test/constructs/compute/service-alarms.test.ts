import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ServiceAlarms } from '../../../lib/constructs/compute/service-alarms';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PREFIX = 'logi-prod-ap-southeast-2-compute';
const LOAD_BALANCER = 'app/logi-prod-public/0123456789abcdef';

const stack = bareStack();
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-12345678',
  availabilityZones: ['ap-southeast-2a'],
});
const targetGroup = (id: string) =>
  new elbv2.ApplicationTargetGroup(stack, id, {
    vpc,
    port: 8443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    targetType: elbv2.TargetType.IP,
  });
// Two services: each alarm must watch its own service's target group.
new ServiceAlarms(stack, 'ServiceAlarms', {
  target: { topic: new sns.Topic(stack, 'OnCall'), namePrefix: PREFIX },
  services: {
    documents: {
      targetGroup: targetGroup('DocumentsTargets'),
      loadBalancerFullName: LOAD_BALANCER,
    },
    orders: { targetGroup: targetGroup('OrdersTargets'), loadBalancerFullName: LOAD_BALANCER },
  },
});
const template = Template.fromStack(stack);
const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (a) => a.Properties as Json,
);
const [documentsTargets] = Object.keys(
  template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'),
).filter((id) => id.startsWith('DocumentsTargets'));
const alarm = (name: string) => {
  const found = alarms.filter((a) => a.AlarmName === `${PREFIX}-${name}`);
  expect(found).toHaveLength(1);
  return found[0];
};

test('two alarms per service, named as the unhealthy-targets runbook names them', () => {
  expect(alarms.map((a) => a.AlarmName).sort()).toEqual([
    `${PREFIX}-documents-no-healthy-targets`,
    `${PREFIX}-documents-unhealthy-targets`,
    `${PREFIX}-orders-no-healthy-targets`,
    `${PREFIX}-orders-unhealthy-targets`,
  ]);
});

test('each alarm watches its own service’s target group on the load balancer', () => {
  for (const name of ['unhealthy-targets', 'no-healthy-targets']) {
    expect(alarm(`documents-${name}`)).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      Dimensions: expect.arrayContaining([
        { Name: 'LoadBalancer', Value: LOAD_BALANCER },
        { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [documentsTargets, 'TargetGroupFullName'] } },
      ]),
    });
    expect(alarm(`documents-${name}`).Dimensions).toHaveLength(2);
    expect(JSON.stringify(alarm(`orders-${name}`).Dimensions)).not.toContain(documentsTargets);
  }
});

test('unhealthy targets: any unhealthy target in 3 of 5 one-minute periods', () => {
  expect(alarm('documents-unhealthy-targets')).toMatchObject({
    MetricName: 'UnHealthyHostCount',
    Statistic: 'Maximum',
    Period: 60,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 5,
    DatapointsToAlarm: 3,
  });
});

test('no healthy target: fewer than one healthy target for 2 minutes, the lowest count of each minute', () => {
  expect(alarm('documents-no-healthy-targets')).toMatchObject({
    MetricName: 'HealthyHostCount',
    Statistic: 'Minimum',
    Period: 60,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    EvaluationPeriods: 2,
  });
  const { DatapointsToAlarm } = alarm('documents-no-healthy-targets');
  expect(DatapointsToAlarm === undefined || DatapointsToAlarm === 2).toBe(true);
});

test('a service that stops reporting healthy targets is down, not quiet: missing data breaches', () => {
  expect(alarm('documents-no-healthy-targets').TreatMissingData).toBe('breaching');
});

test('every alarm pages on-call on alarm and on recovery, with the unhealthy-targets runbook', () => {
  expect(alarms).toHaveLength(4);
  for (const a of alarms) {
    expect(a.AlarmActions).toEqual([{ Ref: topic }]);
    expect(a.OKActions).toEqual([{ Ref: topic }]);
    expect(a.AlarmDescription).toMatch(/ Runbook: docs\/runbooks\/alarms\.md#unhealthy-targets$/);
  }
});
