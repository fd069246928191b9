import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  CfnResource,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import type { NagPackProps, NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagPack, NagRuleCompliance } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { controlOfRule } from './controls';
import type { Iso27001Evaluations } from './evaluations';
import { EvaluationCounter, EVALUATIONS_FILE } from './evaluations';
import type { Iso27001Policy } from './policy';
import { resolvePolicy } from './policy';
import type { EnvironmentSettings, ResilienceScope } from './rules/core/environments';
import { withEvaluationCache } from './rules/core/evaluation-cache';
import { NOT_CHECKABLE_PREFIX, splitNotCheckable } from './rules/core/rule';
import type { RuleWiring } from './rules/pack-rules';
import { packRules } from './rules/pack-rules';

/** A rule wired into the pack, with its id (the rule's name) and its Annex A control. */
type WiredRule = RuleWiring & { readonly id: string; readonly control: string };

/** The pack name; rule ids are `ISO.27001.2022-<RuleName>`. */
export const ISO_27001_PACK_NAME = 'ISO.27001.2022';

/** The pack's version, reported with its findings and evaluations. */
export const ISO_27001_PACK_VERSION = '0.2.0';

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
   * Resource types that bootstrap tenant partitioning on an Aurora cluster
   * (`AuroraTenantPartitioning`); `[]` turns the rule off for an app that is not multi-tenant.
   * @default ['Custom::TenantPartitioningBaseline']
   */
  readonly tenantPartitioningResourceTypes?: readonly string[];
  /**
   * The tag that marks an upload bucket, which must be malware-scanned (`UploadBucketMalwareScan`).
   * @default 'UploadSource'
   */
  readonly uploadBucketTagKey?: string;
  /**
   * Where to write the per-rule evaluations (relative to the cloud assembly directory), or
   * `false` not to write them. The compliance report reads them to show the evidence behind each
   * control's status.
   * @default 'compliance/iso27001-evaluations.json'
   */
  readonly evaluationsFile?: string | false;
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
  override readonly version = ISO_27001_PACK_VERSION;
  override readonly ruleIds: string[];
  /** The minimums this pack checks against (defaults overridden by props). */
  readonly policy: Iso27001Policy;
  private readonly wirings: readonly WiredRule[];
  private readonly counter: EvaluationCounter;
  private readonly evaluationsFile: string | false;

  constructor(scope?: IConstruct, props: Iso27001ChecksProps = {}) {
    super(scope, props);
    this.packName = ISO_27001_PACK_NAME;
    this.wirings = packRules(props).map((wiring) => ({
      ...wiring,
      id: wiring.rule.name,
      control: controlOfRule(wiring.rule.name).id,
    }));
    this.ruleIds = this.wirings.map((w) => `${ISO_27001_PACK_NAME}-${w.id}`);
    this.policy = resolvePolicy({
      minimumLogRetentionDays: props.minimumLogRetentionDays,
      minimumBackupRetentionDays: props.minimumBackupRetentionDays,
      minimumKeyDeletionWindowDays: props.minimumKeyDeletionWindowDays,
    });
    this.counter = new EvaluationCounter(
      this.wirings.map((w) => ({
        id: w.id,
        control: w.control,
        level: w.level === NagMessageLevel.ERROR ? 'error' : 'warning',
      })),
    );
    this.evaluationsFile = props.evaluationsFile ?? EVALUATIONS_FILE;
  }

  /** Validate a tree, with per-root indexes cached for the run. */
  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.counter.reset();
    return withEvaluationCache(() => super.validateScope(scope));
  }

  /** At synth: validate, then write the evaluations next to the templates. */
  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = super.validate(context);
    const first = context.templatePaths[0];
    if (this.evaluationsFile !== false && first !== undefined) {
      const file = path.join(path.dirname(first), this.evaluationsFile);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(this.evaluations(), null, 2)}\n`);
    }
    return report;
  }

  /** Per rule, the resources the last run evaluated and how they came out. */
  evaluations(): Iso27001Evaluations {
    return {
      pack: ISO_27001_PACK_NAME,
      packVersion: ISO_27001_PACK_VERSION,
      policy: { ...this.policy },
      rules: this.counter.snapshot(),
    };
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
        this.counter.record(wiring.id, Stack.of(node).node.path, 'rule-error', 0);
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
    this.counter.record(wiring.id, Stack.of(node).node.path, result, notCheckable.length);
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
