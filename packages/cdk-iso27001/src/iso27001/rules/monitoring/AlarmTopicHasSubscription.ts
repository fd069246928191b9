import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { AppIndex } from '../core/app-index';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';

const ACTION_LISTS = ['AlarmActions', 'OKActions', 'InsufficientDataActions'];

/** `<stack path>/<logical id>` of what a resolved value references, from `from`'s stack. */
function targetKey(value: unknown, from: CfnResource): string | undefined {
  const stack = Stack.of(from);
  const ref = referenceOf(value, stack);
  if (ref.kind !== 'logicalId') return undefined;
  return `${(ref.stack ?? stack).node.path}/${ref.logicalId}`;
}

function keyOf(resource: CfnResource): string {
  return `${Stack.of(resource).node.path}/${viewOf(resource).logicalId}`;
}

/** Topics some alarm (or composite alarm) of the app notifies. */
function alarmTopics(index: AppIndex): Set<string> {
  return index.memo('alarm-topics', (idx) => {
    const keys = new Set<string>();
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']) {
      for (const alarm of idx.ofType(type)) {
        const props = viewOf(alarm).properties;
        for (const list of ACTION_LISTS) {
          const actions = Array.isArray(props[list]) ? (props[list] as unknown[]) : [];
          for (const action of actions) {
            const key = targetKey(action, alarm);
            if (key) keys.add(key);
          }
        }
      }
    }
    return keys;
  });
}

/** Topics that have an `AWS::SNS::Subscription` somewhere in the app. */
function subscribedTopics(index: AppIndex): Set<string> {
  return index.memo('subscribed-topics', (idx) => {
    const keys = new Set<string>();
    for (const subscription of idx.ofType('AWS::SNS::Subscription')) {
      const key = targetKey(viewOf(subscription).properties.TopicArn, subscription);
      if (key) keys.add(key);
    }
    return keys;
  });
}

/**
 * Every SNS topic an alarm notifies has at least one subscription (inline `Subscription`, or an
 * `AWS::SNS::Subscription` in the app that references it), so a breached alarm reaches a person
 * or a system. Topics no alarm references are not applicable.
 *
 * cdk-nag has no equivalent: `CloudWatchAlarmAction` stops at the topic.
 */
export const AlarmTopicHasSubscription = defineRule('AlarmTopicHasSubscription', (node) => {
  if (node.cfnResourceType !== 'AWS::SNS::Topic') return NagRuleCompliance.NOT_APPLICABLE;
  const index = appIndexOf(node);
  const key = keyOf(node);
  if (!alarmTopics(index).has(key)) return NagRuleCompliance.NOT_APPLICABLE;
  const inline = viewOf(node).properties.Subscription;
  if (Array.isArray(inline) && inline.length > 0) return NagRuleCompliance.COMPLIANT;
  return subscribedTopics(index).has(key)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
