import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { EnvironmentSettings } from '../core/environments';
import { environmentNameOf } from '../core/environments';
import { viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule, NotCheckableError } from '../core/rule';

/**
 * No resource of an environment's stack mentions the account id of another environment (in an
 * ARN, a principal, a bucket policy, a name), so production and non-production stay separated.
 * Findings name the other environments referenced. Accounts shared by two environments do not
 * count. Not applicable when no environments are configured or the stack's environment is not
 * known (`StackInEnvironmentAccount` reports that).
 */
export function noCrossEnvironmentReference(settings: EnvironmentSettings): IsoRule {
  return defineRule('NoCrossEnvironmentReference', (node) => {
    const environments = settings.environments;
    if (!environments || Object.keys(environments).length === 0)
      return NagRuleCompliance.NOT_APPLICABLE;
    let own: string | undefined;
    try {
      own = environmentNameOf(Stack.of(node), settings);
    } catch (error) {
      if (error instanceof NotCheckableError) return NagRuleCompliance.NOT_APPLICABLE;
      throw error;
    }
    const ownDefinition = own === undefined ? undefined : environments[own];
    if (!ownDefinition) return NagRuleCompliance.NOT_APPLICABLE;
    const text = JSON.stringify(viewOf(node).properties);
    const others = Object.entries(environments).filter(
      ([name, env]) =>
        name !== own &&
        env.account !== ownDefinition.account &&
        new RegExp(`(?<![0-9])${env.account}(?![0-9])`).test(text),
    );
    return others.length === 0 ? NagRuleCompliance.COMPLIANT : others.map(([name]) => name);
  });
}
