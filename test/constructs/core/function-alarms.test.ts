import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { contract } from '../../../lambda/tenant-status/contract';
import { FunctionAlarms } from '../../../lib/constructs/core/function-alarms';
import { PlatformFunction } from '../../../lib/constructs/core/platform-function';
import { RUNBOOK_LINK } from '../../../lib/constructs/core/runbooks';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PREFIX = 'logi-prod-ap-southeast-2-lifecycle';

// FunctionAlarms covers PlatformFunctions only, so the functions under watch are PlatformFunctions
// (one contract, so one cached bundle); a plain lambda.Function stands for what CDK makes itself.
const stack = bareStack();
const logsKey = new kms.Key(stack, 'LogsKey');
const platformFunction = (scope: Construct, id: string) =>
  new PlatformFunction(scope, id, {
    contract,
    description: id,
    environment: { TABLE_NAME: 'registry' },
    logsKey,
    logRetention: logs.RetentionDays.ONE_MONTH,
    invocation: 'api',
  });
const deactivate = platformFunction(new Construct(stack, 'Admin'), 'Deactivate');
const sweep = platformFunction(stack, 'SweepWorker');
// A function whose errors the stack already alarms on (as LifecycleAlarms does).
const watched = platformFunction(stack, 'Archive');
new cloudwatch.Alarm(stack, 'ArchiveErrors', {
  alarmName: `${PREFIX}-archive-own-errors`,
  metric: watched.function.metricErrors({ period: Duration.minutes(5) }),
  threshold: 0,
  evaluationPeriods: 1,
});
const plain = new lambda.Function(stack, 'Provider', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => {};'),
});
const functionAlarms = new FunctionAlarms(stack, 'FunctionAlarms', {
  target: { topic: new sns.Topic(stack, 'OnCall'), namePrefix: PREFIX },
});
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;

const idOf = (c: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(c.node.defaultChild as never);
const alarms = Object.values(resources)
  .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
  .map((r) => r.Properties as Json);
const alarm = (name: string) => {
  const found = alarms.find((a) => a.AlarmName === `${PREFIX}-${name}`);
  if (!found) throw new Error(`no alarm ${PREFIX}-${name}`);
  return found;
};
/** The alarms of the stack on one metric of one function. */
const on = (metric: string, fn: { node: { defaultChild?: unknown } }) =>
  alarms.filter(
    (a) =>
      a.Namespace === 'AWS/Lambda' &&
      a.MetricName === metric &&
      JSON.stringify(a.Dimensions) ===
        JSON.stringify([{ Name: 'FunctionName', Value: { Ref: idOf(fn) } }]),
  );

test('each platform function gets an errors and a throttles alarm, named from its path', () => {
  expect(
    functionAlarms.alarms.map((a) => (a.node.defaultChild as cloudwatch.CfnAlarm).alarmName).sort(),
  ).toEqual(
    [
      'admin-deactivate-errors',
      'admin-deactivate-throttles',
      'sweep-worker-errors',
      'sweep-worker-throttles',
      'archive-throttles',
    ]
      .map((name) => `${PREFIX}-${name}`)
      .sort(),
  );
});

/** Fires on the first datapoint above zero in five minutes; quiet when there is none. */
const FIRST_IN_FIVE_MINUTES = {
  Statistic: 'Sum',
  Period: 300,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  EvaluationPeriods: 1,
  TreatMissingData: 'notBreaching',
};

test.each([
  ['admin-deactivate', deactivate],
  ['sweep-worker', sweep],
])('%s: alarms on its first error in five minutes, quiet without invocations', (name, fn) => {
  expect(on('Errors', fn.function)).toEqual([alarm(`${name}-errors`)]);
  expect(alarm(`${name}-errors`)).toMatchObject(FIRST_IN_FIVE_MINUTES);
});

test.each([
  ['admin-deactivate', deactivate],
  ['sweep-worker', sweep],
  ['archive', watched],
])('%s: alarms on its first throttle in five minutes', (name, fn) => {
  expect(on('Throttles', fn.function)).toEqual([alarm(`${name}-throttles`)]);
  expect(alarm(`${name}-throttles`)).toMatchObject(FIRST_IN_FIVE_MINUTES);
});

test('every alarm reaches on-call when it fires and when it recovers', () => {
  expect(functionAlarms.alarms).toHaveLength(5);
  for (const a of alarms.filter((a) => a.AlarmName !== `${PREFIX}-archive-own-errors`)) {
    expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }]);
    expect(a.OKActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }]);
  }
});

test('a function whose errors the stack already watches gets no second errors alarm', () => {
  expect(on('Errors', watched.function).map((a) => a.AlarmName)).toEqual([
    `${PREFIX}-archive-own-errors`,
  ]);
});

test('a function CDK makes itself (not a platform function) is not covered', () => {
  expect(on('Errors', plain)).toEqual([]);
  expect(on('Throttles', plain)).toEqual([]);
});

test('each description names the function and its contract and links its runbook section', () => {
  for (const [name, fn] of [
    ['admin-deactivate', deactivate],
    ['sweep-worker', sweep],
  ] as const) {
    for (const [kind, section] of [
      ['errors', 'function-errors'],
      ['throttles', 'function-throttles'],
    ]) {
      const description = alarm(`${name}-${kind}`).AlarmDescription as string;
      expect(description).toContain(`The ${name} function (${fn.contract.name})`);
      expect(RUNBOOK_LINK.exec(description)?.slice(1)).toEqual(['alarms.md', section]);
    }
  }
});
