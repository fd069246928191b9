import type { ComplianceReport, ControlStatus, FindingCounts } from './model';

export interface ComplianceSummary {
  readonly generatedAt: string;
  readonly source: string;
  readonly annexAEvaluated: boolean;
  /** Open errors + open warnings + acknowledged (+ notes) over every pack. */
  readonly overall: FindingCounts;
  /** Open findings whose acknowledgement had expired at synth (part of the open counts). */
  readonly expiredAcknowledgements: number;
  readonly packs: Record<
    string,
    FindingCounts & {
      readonly pluginVersion?: string;
      readonly conclusion: string;
      readonly pluginError?: string;
    }
  >;
  readonly controls: Record<
    string,
    FindingCounts & {
      readonly title: string;
      readonly status: ControlStatus;
      /** Resources the control's rules evaluated; absent without recorded evaluations. */
      readonly resourcesEvaluated?: number;
      /** Per rule: resources evaluated and findings (before acknowledgements). */
      readonly rules?: Record<
        string,
        { readonly evaluated: number; readonly nonCompliant: number }
      >;
    }
  >;
}

/** Counts per pack and per Annex A control, and overall. `notCheckable` is part of `openWarnings`. */
export function buildSummary(report: ComplianceReport): ComplianceSummary {
  return {
    generatedAt: report.generatedAt,
    source: report.sourceFile,
    annexAEvaluated: report.annexAEvaluated,
    overall: report.counts,
    expiredAcknowledgements: report.packs
      .flatMap((p) => p.findings)
      .filter((f) => f.expiredAcknowledgement).length,
    packs: Object.fromEntries(
      report.packs.map((p) => [
        p.pluginName,
        {
          ...(p.pluginVersion ? { pluginVersion: p.pluginVersion } : {}),
          conclusion: p.pluginError ? 'plugin failed' : p.conclusion,
          ...(p.pluginError ? { pluginError: p.pluginError } : {}),
          ...p.counts,
        },
      ]),
    ),
    controls: Object.fromEntries(
      report.controls.map((c) => [
        c.id,
        {
          title: c.title,
          status: c.status,
          ...(c.evaluated === undefined ? {} : { resourcesEvaluated: c.evaluated }),
          ...(c.rules.length === 0
            ? {}
            : {
                rules: Object.fromEntries(
                  c.rules.map((r) => [
                    r.rule,
                    { evaluated: r.evaluated, nonCompliant: r.nonCompliant },
                  ]),
                ),
              }),
          ...c.counts,
        },
      ]),
    ),
  };
}
