import type { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { NagPackProps, NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagPack, NagRuleCompliance } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { controlOfRule } from './controls';
import type { EnvironmentSettings, ResilienceScope } from './rules/core/environments';
import { withEvaluationCache } from './rules/core/evaluation-cache';
import { NOT_CHECKABLE_PREFIX, splitNotCheckable } from './rules/core/rule';
import type { RuleWiring } from './rules/pack-rules';
import { packRules } from './rules/pack-rules';

/** A rule wired into the pack, with its id (the rule's name) and its Annex A control. */
type WiredRule = RuleWiring & { readonly id: string; readonly control: string };

/** The pack name; rule ids are `ISO.27001.2022-<RuleName>`. */
export const ISO_27001_PACK_NAME = 'ISO.27001.2022';

/** Configuration of the ISO 27001:2022 pack. Every prop is optional: see each default. */
export interface Iso27001ChecksProps extends NagPackProps, EnvironmentSettings {
  /**
   * Tag keys every taggable resource must carry (`RequiredTags`). `[]` turns the rule off.
   * @default ISO27001_DEFAULT_REQUIRED_TAGS (`Owner`, `Environment`, `DataClassification`)
   */
  readonly requiredTags?: readonly string[];
  /**
   * Regions stacks may deploy to (`AllowedRegion`).
   * @default - any region, but every stack must name one (an env-agnostic stack is not checkable)
   */
  readonly allowedRegions?: readonly string[];
  /**
   * Minimum log group retention in days (`LogGroupRetentionMinimum`); at least 90.
   * @default 365
   */
  readonly minimumLogRetentionDays?: number;
  /**
   * Minimum days a backup rule or copy keeps recovery points (`BackupPlanMinimumRetention`); at
   * least 7.
   * @default 30
   */
  readonly minimumBackupRetentionDays?: number;
  /**
   * Minimum KMS key deletion window in days (`KmsKeyDeletionWindow`); 7 to 30.
   * @default 30
   */
  readonly minimumKeyDeletionWindowDays?: number;
  /**
   * The ELB security policies HTTPS and TLS listeners may use (`LoadBalancerListenerTls12`); each
   * must allow only TLS 1.2 or newer, or the pack refuses it.
   * @default - every `ELBSecurityPolicy-TLS13-*`, `ELBSecurityPolicy-TLS-1-2-*` and `ELBSecurityPolicy-FS-1-2-*` policy
   */
  readonly allowedLoadBalancerTlsPolicies?: readonly string[];
  /**
   * Which stacks the cross-region rules (`AuroraGlobalDatabase`, `S3CrossRegionReplication`,
   * `BackupCopyToOtherRegion`) and `BackupRuleCopyAction` apply to. With no `environments`
   * configured every stack counts as production.
   * @default 'production'
   */
  readonly resilienceScope?: ResilienceScope;
}

/**
 * ISO/IEC 27001:2022 Annex A checks, as a cdk-nag v3 pack:
 * `Validations.of(app).addPlugins(new Iso27001Checks(app, props))`.
 *
 * Each finding's description starts with its control, e.g. `[A.8.13] ...`. A value a rule
 * cannot resolve at synth is reported as a warning `ISO.27001.2022-<Rule>-NotCheckable[<property>]`
 * whose description starts `[A.x.y] Not checkable: ...`: never as a pass. A defect that makes one
 * of the pack's own rules throw is an error `ISO.27001.2022-<Rule>-RuleError`.
 */
export class Iso27001Checks extends NagPack {
  readonly name = ISO_27001_PACK_NAME;
  override readonly ruleIds: string[];
  private readonly wirings: readonly WiredRule[];

  constructor(scope?: IConstruct, props: Iso27001ChecksProps = {}) {
    super(scope, props);
    this.packName = ISO_27001_PACK_NAME;
    this.wirings = packRules(props).map((wiring) => ({
      ...wiring,
      id: wiring.rule.name,
      control: controlOfRule(wiring.rule.name).id,
    }));
    this.ruleIds = this.wirings.map((w) => `${ISO_27001_PACK_NAME}-${w.id}`);
  }

  /** Validate a tree, with per-root indexes cached for the run. */
  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return withEvaluationCache(() => super.validateScope(scope));
  }

  protected checkResource(node: CfnResource): void {
    for (const wiring of this.wirings) this.check(wiring, node);
  }

  private check(wiring: WiredRule, node: CfnResource): void {
    let outcome: NagRuleResult;
    try {
      outcome = wiring.rule(node);
    } catch (error) {
      if (!wiring.reused) {
        // The pack's own rules never throw for an unresolvable value: a throw is a defect in the
        // rule. Report it as an error that names the control, the rule and the message.
        const message = error instanceof Error ? error.message : String(error);
        this.applyRule({
          ruleSuffixOverride: `${wiring.id}-RuleError`,
          info: `[${wiring.control}] ${wiring.id} failed on this resource (a defect in the rule, not a verdict): ${message}`,
          explanation: 'Report the defect; until it is fixed, check the control by hand.',
          level: NagMessageLevel.ERROR,
          node,
          rule: () => NagRuleCompliance.NON_COMPLIANT,
        });
        return;
      }
      // cdk-nag's rules throw (or fail on a property access) when a value is an intrinsic.
      outcome = [`${NOT_CHECKABLE_PREFIX}UnresolvedValue`];
    }
    const { result, notCheckable } = splitNotCheckable(outcome);
    this.applyRule({ ...this.base(wiring, node), rule: () => result });
    if (notCheckable.length > 0) {
      this.applyRule({
        ruleSuffixOverride: `${wiring.id}-NotCheckable`,
        info:
          `[${wiring.control}] Not checkable: ${wiring.id} cannot resolve the property in brackets ` +
          '(an unresolved token, parameter, import or intrinsic function), so it cannot show compliance.',
        explanation:
          'Make the value a literal the pack can read, or check it by hand and acknowledge this ' +
          'finding on the resource with the evidence.',
        level: NagMessageLevel.WARN,
        node,
        rule: () => [...notCheckable],
      });
    }
  }

  private base(wiring: WiredRule, node: CfnResource) {
    return {
      ruleSuffixOverride: wiring.id,
      info: `[${wiring.control}] ${wiring.info}`,
      explanation: wiring.explanation,
      level: wiring.level,
      node,
    };
  }
}
