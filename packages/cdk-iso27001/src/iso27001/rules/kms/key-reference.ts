import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { NotCheckableError } from '../core/rule';

/** What kind of KMS key a key property names. */
export type KeyKind = 'customer' | 'aws-managed' | 'missing';

const KEY_TYPES = ['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::KMS::ReplicaKey'];

/**
 * Classify a resolved key property: absent; an AWS managed key (`alias/aws/...`); or a customer
 * managed key (a `Ref` / `Fn::GetAtt` to a key, replica key or alias of the same stack, or a
 * literal key id, key ARN or alias outside the reserved `alias/aws/` namespace). Anything else (a
 * parameter, an import, a reference to a non-key resource) is not checkable.
 */
export function keyKindOf(node: CfnResource, value: unknown, what: string): KeyKind {
  if (value === undefined || value === null || value === '') return 'missing';
  const stack = Stack.of(node);
  const ref = referenceOf(value, stack);
  if (ref.kind === 'text')
    return /(^|[:/])alias\/aws\//.test(ref.text) ? 'aws-managed' : 'customer';
  if (ref.kind === 'logicalId') {
    const target = appIndexOf(node).byLogicalId(ref.stack ?? stack, ref.logicalId);
    if (target && KEY_TYPES.includes(target.cfnResourceType)) return 'customer';
  }
  throw new NotCheckableError(what);
}
