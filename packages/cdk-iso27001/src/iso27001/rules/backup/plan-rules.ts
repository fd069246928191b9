import type { CfnResource } from 'aws-cdk-lib';
import { viewOf } from '../core/resource-view';
import { literalList, literalObject } from '../core/values';

/** One rule of an `AWS::Backup::BackupPlan`, with its property path for findings. */
export interface PlanRule {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** The rules of a backup plan (each as a literal object; values inside may be intrinsics). */
export function planRulesOf(node: CfnResource): readonly PlanRule[] {
  const plan = literalObject(viewOf(node).properties.BackupPlan, 'BackupPlan');
  return literalList(plan?.BackupPlanRule, 'BackupPlan.BackupPlanRule').map((item, i) => {
    const path = `BackupPlan.BackupPlanRule.${i}`;
    return { path, body: literalObject(item, path) ?? {} };
  });
}

/** The copy actions of a plan rule. */
export function copyActionsOf(rule: PlanRule): readonly PlanRule[] {
  return literalList(rule.body.CopyActions, `${rule.path}.CopyActions`).map((item, i) => {
    const path = `${rule.path}.CopyActions.${i}`;
    return { path, body: literalObject(item, path) ?? {} };
  });
}
