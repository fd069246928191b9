import { compareControlIds, controlOf } from './annex-a';
import type { RawPluginReport, RawValidationReport, RawViolation } from './input';
import type {
  Acknowledgement,
  AnnexAControl,
  ExpiredAcknowledgement,
  ComplianceReport,
  ControlReport,
  ControlStatus,
  Finding,
  FindingCounts,
  FindingLevel,
  FindingResource,
  PackReport,
  RuleEvidence,
} from './model';
import type { Provenance } from './provenance';
import { EXPIRED_ACKNOWLEDGEMENT, parseAcknowledgementReason } from '../acknowledge';
import { firstProjectFrame } from './source-location';
import type { RawSuppressedViolation, RawViolatingConstruct } from './input';
import { NO_TEMPLATES, type ResourceLocator } from './template-index';

export interface BuildReportOptions {
  /** Annex A controls to list, also those without findings. @default - only controls with findings */
  readonly controls?: readonly AnnexAControl[];
  /** Plugin names of Annex A packs (besides any pack whose findings name a control). */
  readonly annexAPackNames?: readonly string[];
  /** Adds template file, logical id and line to findings. @default - none */
  readonly locator?: ResourceLocator;
  /** Project root: source locations are shown relative to it. @default process.cwd() */
  readonly rootDir?: string;
  /** Wrapper functions around `Validations.acknowledge` to look past. @default ['acknowledge'] */
  readonly acknowledgeWrappers?: readonly string[];
  /** Shown in the report. @default 'validation-report.json' */
  readonly sourceFile?: string;
  /** @default now */
  readonly generatedAt?: Date;
  /**
   * The Annex A pack's per-rule evaluations. Without them no control can pass: a control with no
   * finding is "not evaluated".
   * @default - none
   */
  readonly evaluations?: readonly RuleEvidence[];
  /** Where the report comes from. @default - not shown */
  readonly provenance?: Provenance;
}

export const ISO_PACK_NAME = 'ISO.27001.2022';

const NOT_CHECKABLE = /not checkable/i;
/** The ISO pack names them `ISO.27001.2022-<Rule>-NotCheckable[<property>]`. */
const NOT_CHECKABLE_RULE = /-NotCheckable(\[|$)/;
const LEVEL_ORDER: Record<FindingLevel, number> = { error: 0, warning: 1, note: 2 };

function levelOf(severity: string): FindingLevel {
  const lower = severity.toLowerCase();
  if (lower === 'error' || lower === 'fatal') return 'error';
  if (lower === 'warning' || lower === 'warn') return 'warning';
  return 'note';
}

function stackOf(construct: RawViolatingConstruct, templatePath?: string): string | undefined {
  const first = construct.constructPath.split('/')[0];
  if (first) return first;
  const file = templatePath?.split('/').pop();
  return file?.replace(/\.template\.json$/, '') || undefined;
}

function resourceOf(
  construct: RawViolatingConstruct,
  locator: ResourceLocator,
  rootDir: string,
): FindingResource {
  const cfn = construct.cloudFormationResource;
  const located =
    (cfn && locator.byLogicalId(cfn.templatePath, cfn.logicalId)) ||
    (construct.constructPath ? locator.byConstructPath(construct.constructPath) : undefined);
  const constructPath = construct.constructPath || located?.constructPath || '';
  const templatePath = cfn?.templatePath ?? located?.templatePath;
  return {
    constructPath,
    stackId: stackOf({ ...construct, constructPath }, templatePath),
    constructFqn: construct.constructFqn,
    templatePath,
    logicalId: cfn?.logicalId ?? located?.logicalId,
    templateLine: located?.line,
    source: firstProjectFrame(construct.stackTraces, rootDir),
  };
}

function findingsOf(
  pluginName: string,
  violation: RawViolation,
  options: Required<Pick<BuildReportOptions, 'locator' | 'rootDir' | 'acknowledgeWrappers'>>,
  suppressed?: RawSuppressedViolation,
): Finding[] {
  const severity =
    violation.severity === 'custom' && violation.customSeverity
      ? violation.customSeverity
      : violation.severity;
  const level = levelOf(severity);
  const recorded = suppressed?.reason ? parseAcknowledgementReason(suppressed.reason) : undefined;
  const acknowledgement: Acknowledgement | undefined = suppressed && {
    id: suppressed.acknowledgedId,
    reason: recorded?.reason || undefined,
    ...(recorded?.owner ? { owner: recorded.owner } : {}),
    ...(recorded?.expires ? { expires: recorded.expires } : {}),
    at: suppressed.acknowledgedAt,
    source: firstProjectFrame(
      suppressed.acknowledgedStackTrace,
      options.rootDir,
      options.acknowledgeWrappers,
    ),
  };
  const constructs = violation.violatingConstructs.length
    ? violation.violatingConstructs
    : [{ constructPath: '' }];
  return constructs.map((construct) => ({
    pluginName,
    ruleId: violation.ruleName,
    severity,
    level,
    description: violation.description,
    suggestedFix: violation.suggestedFix,
    documentationUrl: violation.ruleMetadata?.DocumentationUrl ?? violation.ruleMetadata?.helpUrl,
    control: controlOf(violation.description),
    notCheckable:
      level === 'warning' &&
      (NOT_CHECKABLE.test(violation.description) || NOT_CHECKABLE_RULE.test(violation.ruleName)),
    resource: resourceOf(construct, options.locator, options.rootDir),
    acknowledgement,
  }));
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    Number(Boolean(a.acknowledgement)) - Number(Boolean(b.acknowledgement)) ||
    LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.resource.constructPath.localeCompare(b.resource.constructPath)
  );
}

/** Counts over findings; `notCheckable` is a subset of `openWarnings`. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const open = findings.filter((f) => !f.acknowledgement);
  return {
    openErrors: open.filter((f) => f.level === 'error').length,
    openWarnings: open.filter((f) => f.level === 'warning').length,
    openNotes: open.filter((f) => f.level === 'note').length,
    notCheckable: open.filter((f) => f.notCheckable).length,
    acknowledged: findings.length - open.length,
    total: findings.length,
  };
}

function pluginError(plugin: RawPluginReport): string | undefined {
  const error = plugin.metadata?.error;
  return error && plugin.violations.length === 0 ? error : undefined;
}

function packOf(
  plugin: RawPluginReport,
  findings: Finding[],
  annexAPackNames: readonly string[],
): PackReport {
  return {
    pluginName: plugin.pluginName,
    pluginVersion: plugin.pluginVersion,
    conclusion: plugin.conclusion,
    pluginError: pluginError(plugin),
    preamble: plugin.preamble,
    isAnnexAPack:
      annexAPackNames.includes(plugin.pluginName) || findings.some((f) => f.control !== undefined),
    findings,
    counts: countFindings(findings),
  };
}

function statusOf(findings: readonly Finding[], resourcesEvaluated: number): ControlStatus {
  const open = findings.filter((f) => !f.acknowledgement);
  if (open.some((f) => !f.notCheckable)) return 'findings';
  if (open.length > 0) return 'not-checkable';
  if (findings.length > 0) return 'acknowledged';
  return resourcesEvaluated > 0 ? 'pass' : 'not-evaluated';
}

function controlsOf(
  packs: readonly PackReport[],
  catalogue: readonly AnnexAControl[],
  evaluated: boolean,
  evaluations: readonly RuleEvidence[] | undefined,
): ControlReport[] {
  const titles = new Map(catalogue.map((c) => [c.id, c.title]));
  const byControl = new Map<string, Finding[]>(catalogue.map((c) => [c.id, []]));
  for (const finding of packs.flatMap((p) => p.findings)) {
    if (!finding.control) continue;
    const list = byControl.get(finding.control) ?? [];
    list.push(finding);
    byControl.set(finding.control, list);
  }
  return [...byControl.entries()]
    .sort(([a], [b]) => compareControlIds(a, b))
    .map(([id, findings]) => {
      const rules = (evaluations ?? []).filter((r) => r.control === id);
      const resources = rules.reduce((sum, r) => sum + r.evaluated, 0);
      return {
        id,
        title: titles.get(id) ?? 'Not in the controls catalogue',
        inCatalogue: titles.has(id),
        status: statusOf(findings, evaluated && evaluations ? resources : 0),
        rules,
        evaluated: evaluations ? resources : undefined,
        findings: [...findings].sort(compareFindings),
        counts: countFindings(findings),
      };
    });
}

const EXPIRED = /^Acknowledgement of (\S+) expired on (\d{4}-\d{2}-\d{2})(?: \(owner: ([^)]+)\))?/;

/**
 * An acknowledgement that expired suppressed nothing at synth: its finding is open, and a warning
 * on the resource names it. Attach that acknowledgement to the open finding it no longer covers.
 */
function withExpiredAcknowledgements(findings: Finding[], all: readonly Finding[]): Finding[] {
  const expired = new Map<string, ExpiredAcknowledgement[]>();
  for (const f of all) {
    const m = f.ruleId.endsWith(EXPIRED_ACKNOWLEDGEMENT) ? EXPIRED.exec(f.description) : null;
    if (!m) continue;
    const list = expired.get(f.resource.constructPath) ?? [];
    list.push({ id: m[1], expires: m[2], ...(m[3] ? { owner: m[3] } : {}) });
    expired.set(f.resource.constructPath, list);
  }
  if (expired.size === 0) return findings;
  return findings.map((f) => {
    if (f.acknowledgement) return f;
    const match = expired
      .get(f.resource.constructPath)
      ?.find((x) => x.id === f.ruleId || x.id.endsWith(`::${f.ruleId}`));
    return match ? { ...f, expiredAcknowledgement: match } : f;
  });
}

/** Turn a parsed validation report into the compliance model the outputs render. */
export function buildComplianceReport(
  raw: RawValidationReport,
  options: BuildReportOptions = {},
): ComplianceReport {
  const resolved = {
    locator: options.locator ?? NO_TEMPLATES,
    rootDir: options.rootDir ?? process.cwd(),
    acknowledgeWrappers: options.acknowledgeWrappers ?? ['acknowledge'],
  };
  const annexAPackNames = options.annexAPackNames ?? [ISO_PACK_NAME];
  const perPlugin = raw.pluginReports.map((plugin) =>
    [
      ...plugin.violations.flatMap((v) => findingsOf(plugin.pluginName, v, resolved)),
      ...plugin.suppressedViolations.flatMap((v) => findingsOf(plugin.pluginName, v, resolved, v)),
    ].sort(compareFindings),
  );
  const everyFinding = perPlugin.flat();
  const packs = raw.pluginReports.map((plugin, i) =>
    packOf(plugin, withExpiredAcknowledgements(perPlugin[i], everyFinding), annexAPackNames),
  );
  const annexAEvaluated = packs.some((p) => p.isAnnexAPack && !p.pluginError);
  const otherPacks = packs
    .map((pack) => {
      const findings = pack.findings.filter((f) => !f.control);
      return { ...pack, findings, counts: countFindings(findings) };
    })
    .filter((pack) => !pack.isAnnexAPack || pack.findings.length > 0 || pack.pluginError);
  return {
    title: raw.title ?? 'Validation Report',
    schemaVersion: raw.version,
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    sourceFile: options.sourceFile ?? 'validation-report.json',
    annexAEvaluated,
    evidence: options.evaluations !== undefined,
    ...(options.provenance ? { provenance: options.provenance } : {}),
    packs,
    controls: controlsOf(packs, options.controls ?? [], annexAEvaluated, options.evaluations),
    otherPacks,
    counts: countFindings(packs.flatMap((p) => p.findings)),
  };
}
