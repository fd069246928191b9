import type { Stack } from 'aws-cdk-lib';
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AlarmTarget } from './on-call-alarm';
import { onCallAlarm } from './on-call-alarm';
import { PlatformFunction } from './platform-function';
import { RUNBOOKS } from './runbooks';

export interface FunctionAlarmsProps {
  readonly target: AlarmTarget;
}

/** The functions of `FunctionName` dimension whose Errors some alarm of the stack already watches. */
function functionsWithErrorAlarms(stack: Stack): Set<string> {
  const watched = new Set<string>();
  for (const c of stack.node.findAll()) {
    if (!(c instanceof cloudwatch.Alarm)) continue;
    const stat = c.metric.toMetricConfig().metricStat;
    if (stat?.namespace !== 'AWS/Lambda' || stat.metricName !== 'Errors') continue;
    for (const d of stat.dimensions ?? []) {
      if (d.name === 'FunctionName') watched.add(Token.asString(d.value));
    }
  }
  return watched;
}

/** `Admin/Deactivate` under the stack → `admin-deactivate`. */
function shortName(stack: Stack, fn: PlatformFunction): string {
  const below = fn.node.path.slice(stack.node.path.length + 1);
  return below
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Errors and throttles of every `PlatformFunction` of the stack it is added to, each alarming on
 * the first occurrence in 5 minutes. Add it after the stack's other constructs (lib/platform.ts
 * does). A function whose errors another alarm of the stack already watches (the lifecycle's, the
 * restore validator's) gets only the throttles alarm. Functions CDK creates for itself (custom
 * resource providers) are not platform functions and are not covered.
 */
export class FunctionAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Stack, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    const watched = functionsWithErrorAlarms(scope);
    const functions = scope.node
      .findAll()
      .filter((c): c is PlatformFunction => c instanceof PlatformFunction);
    const period = { period: Duration.minutes(5), statistic: 'Sum' };
    for (const platformFunction of functions) {
      const fn = platformFunction.function;
      const name = shortName(scope, platformFunction);
      if (!watched.has(Token.asString(fn.functionName))) {
        this.alarms.push(
          onCallAlarm(this, `${name}-errors`, props.target, {
            name: `${name}-errors`,
            summary: `The ${name} function (${platformFunction.contract.name}) failed; its log group has the error with the request id`,
            runbook: RUNBOOKS.functionErrors,
            metric: fn.metricErrors(period),
            threshold: 0,
          }),
        );
      }
      this.alarms.push(
        onCallAlarm(this, `${name}-throttles`, props.target, {
          name: `${name}-throttles`,
          summary: `The ${name} function (${platformFunction.contract.name}) was throttled at its reserved concurrency: invocations were refused or delayed`,
          runbook: RUNBOOKS.functionThrottles,
          metric: fn.metricThrottles(period),
          threshold: 0,
        }),
      );
    }
  }
}
