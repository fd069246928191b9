import type { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';

/**
 * A finding that starts with this prefix means "a value this rule needs could not be resolved at
 * synth" (an unresolved token, a parameter, an import, or an intrinsic function the rule cannot
 * evaluate). The text after the prefix names the property, e.g. `NotCheckable:BucketName`.
 *
 * `Iso27001Checks` reports such findings under `ISO.27001.2022-<Rule>-NotCheckable[<property>]`
 * as warnings, never as a pass; a pack that does not know the prefix reports them as ordinary
 * findings of the rule, which is also never a pass.
 */
export const NOT_CHECKABLE_PREFIX = 'NotCheckable:';

/** Thrown inside a rule body when a value cannot be resolved; `defineRule` turns it into a finding. */
export class NotCheckableError extends Error {
  constructor(
    /** The CloudFormation property path that could not be resolved, e.g. `Properties.BucketName`. */
    readonly what: string,
  ) {
    super(`${what} could not be resolved at synth`);
    this.name = 'NotCheckableError';
  }
}

/** A pack rule: a pure function from a CloudFormation resource to compliant / non-compliant / N/A. */
export type IsoRule = (node: CfnResource) => NagRuleResult;

/**
 * Name a rule body after the rule (the NagPack uses `rule.name` for the rule id) and turn a
 * `NotCheckableError` into an explicit `NotCheckable:<what>` finding, so the rule never throws
 * for an unresolvable value.
 */
export function defineRule(name: string, body: (node: CfnResource) => NagRuleResult): IsoRule {
  const rule = (node: CfnResource): NagRuleResult => {
    try {
      return body(node);
    } catch (error) {
      if (error instanceof NotCheckableError) return [`${NOT_CHECKABLE_PREFIX}${error.what}`];
      throw error;
    }
  };
  Object.defineProperty(rule, 'name', { value: name });
  return rule;
}

/** Split a rule result into its ordinary result and the properties it could not check. */
export function splitNotCheckable(result: NagRuleResult): {
  readonly result: NagRuleResult;
  readonly notCheckable: readonly string[];
} {
  if (!Array.isArray(result)) return { result, notCheckable: [] };
  return {
    result: result.filter((finding) => !finding.startsWith(NOT_CHECKABLE_PREFIX)),
    notCheckable: result
      .filter((finding) => finding.startsWith(NOT_CHECKABLE_PREFIX))
      .map((finding) => finding.slice(NOT_CHECKABLE_PREFIX.length)),
  };
}
