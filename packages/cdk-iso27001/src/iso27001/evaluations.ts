import type { NagRuleResult } from 'cdk-nag';
import { NagRuleCompliance } from 'cdk-nag';

/** Where the pack writes its evaluations, relative to the cloud assembly directory. */
export const EVALUATIONS_FILE = 'compliance/iso27001-evaluations.json';

/** What one rule did over a run: how many resources it evaluated and how they came out. */
export interface RuleEvaluation {
  /** The rule id without the pack prefix, e.g. `NoInternetIngress`. */
  readonly rule: string;
  /** Its Annex A control, e.g. `A.8.20`. */
  readonly control: string;
  /** `error` or `warning`: the level of its findings. */
  readonly level: string;
  /** Resources the rule applied to (compliant + non-compliant + not checkable + rule errors). */
  evaluated: number;
  compliant: number;
  /** Resources with at least one finding (before acknowledgements). */
  nonCompliant: number;
  /** Resources with a value the rule could not resolve. */
  notCheckable: number;
  /** Resources on which the rule threw (a defect in the rule). */
  ruleErrors: number;
  /** Resources evaluated per stack (construct path of the stack). */
  readonly byStack: Record<string, number>;
}

/** The side file the report reads: per rule, the evidence behind each control's status. */
export interface Iso27001Evaluations {
  readonly pack: string;
  readonly packVersion: string;
  /** The effective minimums the run checked against. */
  readonly policy: Readonly<Record<string, number>>;
  readonly rules: readonly RuleEvaluation[];
}

/** Counts each rule's outcome per resource. */
export class EvaluationCounter {
  private readonly rules = new Map<string, RuleEvaluation>();

  constructor(wirings: readonly { id: string; control: string; level: string }[]) {
    for (const w of wirings) {
      this.rules.set(w.id, {
        rule: w.id,
        control: w.control,
        level: w.level,
        evaluated: 0,
        compliant: 0,
        nonCompliant: 0,
        notCheckable: 0,
        ruleErrors: 0,
        byStack: {},
      });
    }
  }

  reset(): void {
    for (const r of this.rules.values()) {
      r.evaluated = r.compliant = r.nonCompliant = r.notCheckable = r.ruleErrors = 0;
      for (const key of Object.keys(r.byStack)) delete r.byStack[key];
    }
  }

  /** Record one rule's outcome on one resource. */
  record(
    rule: string,
    stack: string,
    outcome: NagRuleResult | 'rule-error',
    notCheckable: number,
  ): void {
    const r = this.rules.get(rule);
    if (!r) return;
    const findings =
      outcome === NagRuleCompliance.NON_COMPLIANT || (Array.isArray(outcome) && outcome.length > 0);
    const applies =
      outcome === 'rule-error' ||
      notCheckable > 0 ||
      findings ||
      outcome === NagRuleCompliance.COMPLIANT ||
      (Array.isArray(outcome) && notCheckable === 0 && outcome.length === 0);
    if (!applies) return;
    r.evaluated++;
    r.byStack[stack] = (r.byStack[stack] ?? 0) + 1;
    if (outcome === 'rule-error') r.ruleErrors++;
    else if (findings) r.nonCompliant++;
    else if (notCheckable > 0) r.notCheckable++;
    else r.compliant++;
  }

  snapshot(): RuleEvaluation[] {
    return [...this.rules.values()].map((r) => ({ ...r, byStack: { ...r.byStack } }));
  }
}
