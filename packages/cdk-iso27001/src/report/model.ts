import type { Provenance } from './provenance';

/**
 * The normalized compliance model that every output (HTML, Markdown, SARIF, summary) renders.
 * One `Finding` is one rule violated by one resource; an acknowledged finding carries its
 * acknowledgement.
 */

/** An ISO/IEC 27001:2022 Annex A control, as a controls catalogue lists it. */
export interface AnnexAControl {
  /** e.g. `A.8.13` */
  readonly id: string;
  /** e.g. `Information backup` */
  readonly title: string;
}

/** A place in the project's source code, taken from a stack trace. */
export interface SourceLocation {
  /** Relative to the project root when it lies inside it. */
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** SARIF-style level every output uses to sort and count. */
export type FindingLevel = 'error' | 'warning' | 'note';

export interface FindingResource {
  /** Construct path; '' when the plugin could not map the finding to a construct. */
  readonly constructPath: string;
  /** First segment of the construct path, or the template's stack name. */
  readonly stackId?: string;
  readonly constructFqn?: string;
  /** CloudFormation template, relative to the cloud assembly directory. */
  readonly templatePath?: string;
  readonly logicalId?: string;
  /** 1-based line of the resource in its template, where known. */
  readonly templateLine?: number;
  /** Where the resource was created in the project's code. */
  readonly source?: SourceLocation;
}

export interface Acknowledgement {
  /** The acknowledged id, `<plugin>::<rule>`. */
  readonly id: string;
  /** The compensating control; undefined when none was given (shown as missing). */
  readonly reason?: string;
  /** Who answers for the compensating control, where the acknowledgement names one. */
  readonly owner?: string;
  /** Last day (YYYY-MM-DD) the acknowledgement holds, where it has one. */
  readonly expires?: string;
  /** Construct path the acknowledgement was declared on. */
  readonly at?: string;
  /** Where in the project's code the acknowledgement was made. */
  readonly source?: SourceLocation;
}

/** An acknowledgement that had expired at synth: it suppressed nothing, the finding is open. */
export interface ExpiredAcknowledgement {
  /** `<plugin>::<rule>` */
  readonly id: string;
  readonly expires: string;
  readonly owner?: string;
}

export interface Finding {
  readonly pluginName: string;
  /** The rule name as the plugin reports it (cdk-nag granular ids keep their bracketed suffix). */
  readonly ruleId: string;
  /** Severity as reported (`error`, `warning`, `fatal`, `info`, or a custom severity). */
  readonly severity: string;
  readonly level: FindingLevel;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly documentationUrl?: string;
  /** Annex A control named at the start of the description, e.g. `A.8.13`. */
  readonly control?: string;
  /** A warning saying the pack could not check a value (unresolved token or intrinsic). */
  readonly notCheckable: boolean;
  readonly resource: FindingResource;
  /** Present when the finding was acknowledged. */
  readonly acknowledgement?: Acknowledgement;
  /** Present on an open finding whose acknowledgement had expired at synth. */
  readonly expiredAcknowledgement?: ExpiredAcknowledgement;
}

/** Counts over a set of findings. `notCheckable` is a subset of `openWarnings`. */
export interface FindingCounts {
  readonly openErrors: number;
  readonly openWarnings: number;
  readonly openNotes: number;
  readonly notCheckable: number;
  readonly acknowledged: number;
  readonly total: number;
}

export interface PackReport {
  readonly pluginName: string;
  readonly pluginVersion?: string;
  /** `success` or `failure` as the CDK concluded. */
  readonly conclusion: string;
  /** Set when the plugin itself failed to run (aws-cdk-lib puts the message in metadata.error). */
  readonly pluginError?: string;
  readonly preamble?: string;
  /** Whether this pack names Annex A controls in its findings. */
  readonly isAnnexAPack: boolean;
  readonly findings: readonly Finding[];
  readonly counts: FindingCounts;
}

/** What one rule of a control did in the run: the evidence behind the control's status. */
export interface RuleEvidence {
  readonly rule: string;
  readonly control: string;
  readonly level: string;
  /** Resources the rule applied to. */
  readonly evaluated: number;
  readonly compliant: number;
  /** Resources with findings, before acknowledgements. */
  readonly nonCompliant: number;
  readonly notCheckable: number;
  readonly ruleErrors: number;
  /** Resources evaluated per stack. */
  readonly byStack: Readonly<Record<string, number>>;
}

/**
 * - `pass`: the control's rules evaluated at least one resource and found nothing;
 * - `findings`: at least one open finding that is not a "not checkable" warning;
 * - `not-checkable`: the only open findings say a value could not be checked;
 * - `acknowledged`: every finding is acknowledged;
 * - `not-evaluated`: no finding, and no evidence of a pass: no rule of the control evaluated a
 *   resource (nothing in scope), or no evaluations were recorded, or no Annex A pack ran.
 */
export type ControlStatus =
  | 'pass'
  | 'findings'
  | 'not-checkable'
  | 'acknowledged'
  | 'not-evaluated';

export interface ControlReport {
  readonly id: string;
  readonly title: string;
  /** False when a finding names a control that the catalogue does not list. */
  readonly inCatalogue: boolean;
  readonly status: ControlStatus;
  /** The control's rules and what each evaluated; empty when no evaluations were recorded. */
  readonly rules: readonly RuleEvidence[];
  /** Resources its rules evaluated in total; undefined when no evaluations were recorded. */
  readonly evaluated?: number;
  readonly findings: readonly Finding[];
  readonly counts: FindingCounts;
}

export interface ComplianceReport {
  readonly title: string;
  /** Protocol version of the validation report. */
  readonly schemaVersion: string;
  /** ISO timestamp the report was built at. */
  readonly generatedAt: string;
  /** Where the validation report was read from, as given. */
  readonly sourceFile: string;
  /** Whether a pack naming Annex A controls ran. */
  readonly annexAEvaluated: boolean;
  /** Whether the pack's per-rule evaluations were read (the evidence behind a "pass"). */
  readonly evidence: boolean;
  /** Commit, dirty flag, config and hash, plugin versions; absent when not collected. */
  readonly provenance?: Provenance;
  readonly packs: readonly PackReport[];
  /** Every catalogue control, plus any control a finding names, sorted by id. */
  readonly controls: readonly ControlReport[];
  /** Findings that name no Annex A control, per pack (packs with none are listed with none). */
  readonly otherPacks: readonly PackReport[];
  readonly counts: FindingCounts;
}

export const STATUS_LABELS: Readonly<Record<ControlStatus, string>> = {
  pass: 'pass',
  findings: 'findings',
  'not-checkable': 'not checkable',
  acknowledged: 'acknowledged only',
  'not-evaluated': 'not evaluated',
};
