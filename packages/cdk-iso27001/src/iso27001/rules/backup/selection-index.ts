import type { CfnResource } from 'aws-cdk-lib';
import { Stack, TagManager } from 'aws-cdk-lib';
import type { AppIndex } from '../core/app-index';
import { appIndexOf } from '../core/app-index';
import type { Reference } from '../core/references';
import { globToRegExp, referenceOf } from '../core/references';
import type { StackTarget } from '../core/resource-view';
import { targetOf, viewOf } from '../core/resource-view';
import { NotCheckableError } from '../core/rule';

interface TagCondition {
  readonly operator: string;
  readonly key: string;
  readonly value: string;
}

/** One `AWS::Backup::BackupSelection`, flattened once per app. */
interface Selection {
  readonly stack: Stack;
  readonly logicalId: string;
  readonly resources: readonly Reference[];
  readonly notResources: readonly Reference[];
  readonly listOfTags: readonly TagCondition[];
  readonly conditions: readonly TagCondition[];
  /** The selection itself (or its shape) could not be resolved. */
  readonly opaque: boolean;
}

/** How a resource's ARN is built from its physical name. */
export type ArnBuilder = (name: string, target: Required<StackTarget>) => string;

function selections(index: AppIndex): readonly Selection[] {
  return index.memo('backup-selections', (idx) =>
    idx.ofType('AWS::Backup::BackupSelection').map((node) => {
      const stack = Stack.of(node);
      const view = viewOf(node);
      const body = view.properties.BackupSelection as Record<string, unknown> | undefined;
      const list = (value: unknown): unknown[] | undefined =>
        value === undefined ? [] : Array.isArray(value) ? value : undefined;
      const resources = list(body?.Resources);
      const notResources = list(body?.NotResources);
      const listOfTags = list(body?.ListOfTags);
      const conditions = conditionsOf(body?.Conditions);
      return {
        stack,
        logicalId: view.logicalId,
        resources: (resources ?? []).map((r) => referenceOf(r, stack)),
        notResources: (notResources ?? []).map((r) => referenceOf(r, stack)),
        listOfTags: (listOfTags ?? []).map(tagConditionOf),
        conditions: conditions ?? [],
        opaque: !body || !resources || !notResources || !listOfTags || conditions === undefined,
      };
    }),
  );
}

function tagConditionOf(value: unknown): TagCondition {
  const v = (value ?? {}) as Record<string, unknown>;
  return {
    operator: String(v.ConditionType ?? 'STRINGEQUALS').toUpperCase(),
    key: String(v.ConditionKey ?? ''),
    value: String(v.ConditionValue ?? ''),
  };
}

function conditionsOf(value: unknown): TagCondition[] | undefined {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object') return undefined;
  const out: TagCondition[] = [];
  for (const [operator, entries] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(entries)) return undefined;
    for (const entry of entries) {
      const e = (entry ?? {}) as Record<string, unknown>;
      const key = String(e.ConditionKey ?? '').replace(/^aws:ResourceTag\//, '');
      out.push({ operator: operator.toUpperCase(), key, value: String(e.ConditionValue ?? '') });
    }
  }
  return out;
}

function tagMatches(condition: TagCondition, tags: Record<string, string>): boolean {
  const actual = tags[condition.key];
  const like = actual !== undefined && globToRegExp(condition.value).test(actual);
  switch (condition.operator) {
    case 'STRINGEQUALS':
      return actual === condition.value;
    case 'STRINGNOTEQUALS':
      return actual !== condition.value;
    case 'STRINGLIKE':
      return like;
    case 'STRINGNOTLIKE':
      return !like;
    default:
      return false;
  }
}

/**
 * Whether a resource is in some backup selection of the app: in the same stack by `Ref` /
 * `Fn::GetAtt`, or in any stack of the same account and region by an ARN built from the
 * resource's physical name (wildcards allowed), or by tag. Returns true when selected, false when
 * certainly not, and throws `NotCheckableError` when a selection or the name cannot be resolved
 * and no other selection includes the resource.
 */
export function isInBackupSelection(
  node: CfnResource,
  nameProperty: string,
  arnOf: ArnBuilder,
): boolean {
  const stack = Stack.of(node);
  const view = viewOf(node);
  const target = targetOf(stack);
  const rawName = view.properties[nameProperty];
  const nameKnown = rawName === undefined || typeof rawName === 'string';
  const arn = arnOf(typeof rawName === 'string' ? rawName : '<generated>', {
    account: target.account ?? '<AWS::AccountId>',
    region: target.region ?? '<AWS::Region>',
    partition: target.partition,
  });
  const tags = TagManager.isTaggable(node) ? node.tags.tagValues() : {};
  let unknownVia: string | undefined = nameKnown ? undefined : nameProperty;

  const index = appIndexOf(node);
  for (const selection of selections(index)) {
    const other = targetOf(selection.stack);
    if (other.account !== target.account || other.region !== target.region) continue;
    if (selection.opaque) {
      unknownVia ??= `BackupSelection.${selection.logicalId}`;
      continue;
    }
    const matches = (ref: Reference): boolean | undefined => {
      if (ref.kind === 'logicalId') {
        // a Ref to a parameter (not a resource) is an unknown value
        if (!index.byLogicalId(selection.stack, ref.logicalId)) return undefined;
        return selection.stack === stack && ref.logicalId === view.logicalId;
      }
      if (ref.kind === 'unknown') return undefined;
      if (!nameKnown && ref.text.includes('*') === false) return undefined;
      return globToRegExp(ref.text).test(arn);
    };
    const byArn = selection.resources.map(matches);
    const excluded = selection.notResources.map(matches);
    const byTag = selection.listOfTags.some((c) => tagMatches(c, tags));
    const conditionsHold = selection.conditions.every((c) => tagMatches(c, tags));
    if (excluded.includes(true) || !conditionsHold) continue;
    if (byArn.includes(true) || byTag) return true;
    if (byArn.includes(undefined) || excluded.includes(undefined)) {
      unknownVia ??= `BackupSelection.${selection.logicalId}.Resources`;
    }
  }
  if (unknownVia !== undefined) throw new NotCheckableError(unknownVia);
  return false;
}
