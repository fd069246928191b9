import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { AppIndex } from '../core/app-index';
import { appIndexOf } from '../core/app-index';
import type { EnvironmentSettings, ResilienceScope } from '../core/environments';
import { inResilienceScope } from '../core/environments';
import { referenceOf, regionInText } from '../core/references';
import { targetOf, viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule, NotCheckableError } from '../core/rule';
import { literalList, literalObject, literalString } from '../core/values';

/** Settings of the cross-region rules. */
export interface CrossRegionSettings extends EnvironmentSettings {
  /** Which stacks must be resilient across regions. */
  readonly scope: ResilienceScope;
}

/**
 * A bucket in scope replicates (an enabled replication rule) to a bucket in another region.
 * Buckets that are themselves replication destinations or S3 access-log destinations are not
 * applicable. The destination's region is that of its stack when the destination bucket is in the
 * app, else the region code in its deterministic name; if neither tells, not checkable.
 *
 * Own rule: cdk-nag's `S3BucketReplicationEnabled` accepts any enabled rule, including one that
 * replicates into the same region (or the same bucket).
 */
export function s3CrossRegionReplication(settings: CrossRegionSettings): IsoRule {
  return defineRule('S3CrossRegionReplication', (node) => {
    if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    if (!inResilienceScope(stack, settings.scope, settings))
      return NagRuleCompliance.NOT_APPLICABLE;
    const index = appIndexOf(node);
    if (isDestinationBucket(node, index)) return NagRuleCompliance.NOT_APPLICABLE;
    const props = viewOf(node).properties;
    const replication = literalObject(props.ReplicationConfiguration, 'ReplicationConfiguration');
    const rules = literalList(replication?.Rules, 'ReplicationConfiguration.Rules');
    const ownRegion = targetOf(stack).region;
    for (const [i, item] of rules.entries()) {
      const path = `ReplicationConfiguration.Rules.${i}`;
      const rule = literalObject(item, path) ?? {};
      if (literalString(rule.Status, `${path}.Status`) !== 'Enabled') continue;
      const destination = literalObject(rule.Destination, `${path}.Destination`);
      const region = destinationRegion(
        destination?.Bucket,
        stack,
        index,
        `${path}.Destination.Bucket`,
      );
      if (ownRegion === undefined) throw new NotCheckableError('Stack.Region');
      if (region !== ownRegion) return NagRuleCompliance.COMPLIANT;
    }
    return NagRuleCompliance.NON_COMPLIANT;
  });
}

function destinationRegion(value: unknown, stack: Stack, index: AppIndex, what: string): string {
  const ref = referenceOf(value, stack);
  if (ref.kind === 'logicalId') {
    if (index.byLogicalId(stack, ref.logicalId)?.cfnResourceType !== 'AWS::S3::Bucket') {
      throw new NotCheckableError(what);
    }
    const region = targetOf(stack).region;
    if (region === undefined) throw new NotCheckableError(what);
    return region; // a bucket of the same stack is in the same region
  }
  if (ref.kind === 'unknown') throw new NotCheckableError(what);
  const name = ref.text.replace(/^arn:[^:]*:s3:::/, '');
  const inApp = bucketsByName(index).get(name);
  const region = inApp ? targetOf(Stack.of(inApp)).region : regionInText(name);
  if (region === undefined) throw new NotCheckableError(what);
  return region;
}

function bucketsByName(index: AppIndex): Map<string, CfnResource> {
  return index.memo('s3-buckets-by-name', (idx) => {
    const map = new Map<string, CfnResource>();
    for (const bucket of idx.ofType('AWS::S3::Bucket')) {
      const name = viewOf(bucket).properties.BucketName;
      if (typeof name === 'string') map.set(name, bucket);
    }
    return map;
  });
}

/** Keys `name:<bucket name>` and `id:<stack path>/<logical id>` of destination buckets. */
function destinationKeys(index: AppIndex): Set<string> {
  return index.memo('s3-destination-buckets', (idx) => {
    const keys = new Set<string>();
    for (const bucket of idx.ofType('AWS::S3::Bucket')) {
      const stack = Stack.of(bucket);
      const props = viewOf(bucket).properties as Record<
        string,
        Record<string, unknown> | undefined
      >;
      const targets: unknown[] = [props.LoggingConfiguration?.DestinationBucketName];
      const rules = props.ReplicationConfiguration?.Rules;
      if (Array.isArray(rules)) {
        for (const rule of rules)
          targets.push((rule as { Destination?: { Bucket?: unknown } })?.Destination?.Bucket);
      }
      for (const target of targets) {
        const ref = referenceOf(target, stack);
        if (ref.kind === 'logicalId') keys.add(`id:${stack.node.path}/${ref.logicalId}`);
        if (ref.kind === 'text') keys.add(`name:${ref.text.replace(/^arn:[^:]*:s3:::/, '')}`);
      }
    }
    return keys;
  });
}

function isDestinationBucket(node: CfnResource, index: AppIndex): boolean {
  const stack = Stack.of(node);
  const view = viewOf(node);
  const keys = destinationKeys(index);
  if (keys.has(`id:${stack.node.path}/${view.logicalId}`)) return true;
  const name = view.properties.BucketName;
  return typeof name === 'string' && keys.has(`name:${name}`);
}
