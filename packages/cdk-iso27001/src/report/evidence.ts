import { ValidationReportError } from './input';
import type { RuleEvidence } from './model';

function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValidationReportError(`${where} must be a count (a whole number ≥ 0)`);
  }
  return value;
}

/**
 * The rules' evaluations from the pack's side file (`compliance/iso27001-evaluations.json`):
 * per rule, its control and how many resources it evaluated. Throws naming the field when the
 * file does not have that shape.
 */
export function parseEvaluations(json: unknown): {
  readonly packVersion?: string;
  readonly policy?: Readonly<Record<string, number>>;
  readonly rules: readonly RuleEvidence[];
} {
  const root = (json ?? {}) as Record<string, unknown>;
  if (!Array.isArray(root.rules))
    throw new ValidationReportError('evaluations: "rules" must be a list');
  const rules = root.rules.map((item, i): RuleEvidence => {
    const r = (item ?? {}) as Record<string, unknown>;
    const where = `evaluations: rules[${i}]`;
    if (typeof r.rule !== 'string' || typeof r.control !== 'string') {
      throw new ValidationReportError(`${where} needs "rule" and "control" strings`);
    }
    const byStack = (r.byStack ?? {}) as Record<string, unknown>;
    return {
      rule: r.rule,
      control: r.control,
      level: typeof r.level === 'string' ? r.level : 'error',
      evaluated: count(r.evaluated, `${where}.evaluated`),
      compliant: count(r.compliant, `${where}.compliant`),
      nonCompliant: count(r.nonCompliant, `${where}.nonCompliant`),
      notCheckable: count(r.notCheckable, `${where}.notCheckable`),
      ruleErrors: count(r.ruleErrors ?? 0, `${where}.ruleErrors`),
      byStack: Object.fromEntries(
        Object.entries(byStack).map(([k, v]) => [k, count(v, `${where}.byStack.${k}`)]),
      ),
    };
  });
  return {
    packVersion: typeof root.packVersion === 'string' ? root.packVersion : undefined,
    policy:
      root.policy && typeof root.policy === 'object'
        ? (root.policy as Record<string, number>)
        : undefined,
    rules,
  };
}
