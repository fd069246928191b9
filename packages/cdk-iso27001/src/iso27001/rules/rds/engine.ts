import type { CfnResource } from 'aws-cdk-lib';
import { viewOf } from '../core/resource-view';
import { literalString } from '../core/values';

/** The lower-case engine of a DB cluster or instance (not checkable if it is a token). */
export function engineOf(node: CfnResource): string | undefined {
  return literalString(viewOf(node).properties.Engine, 'Engine')?.toLowerCase();
}
