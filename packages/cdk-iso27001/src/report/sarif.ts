import { createHash } from 'crypto';
import type { ComplianceReport, Finding, FindingLevel, PackReport } from './model';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The subset of SARIF 2.1.0 this report writes. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: SarifRun[];
}

interface SarifMessage {
  readonly text: string;
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly helpUri: string;
  readonly help: { readonly text: string; readonly markdown: string };
  readonly defaultConfiguration: { readonly level: FindingLevel };
  readonly properties: {
    readonly tags: string[];
    /** GitHub code scanning: 0.0-10.0, shown as low / medium / high / critical. */
    readonly 'security-severity': string;
    readonly precision: 'high';
    readonly 'problem.severity': 'error' | 'warning' | 'recommendation';
    readonly annexAControl?: string;
  };
}

export interface SarifLocation {
  readonly id?: number;
  readonly physicalLocation?: {
    readonly artifactLocation: { readonly uri: string };
    readonly region?: { readonly startLine: number; readonly startColumn?: number };
  };
  readonly logicalLocations?: {
    readonly name: string;
    readonly fullyQualifiedName: string;
    readonly kind: 'resource';
  }[];
  readonly message?: SarifMessage;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: FindingLevel;
  readonly kind: 'fail';
  readonly message: SarifMessage;
  readonly locations: SarifLocation[];
  readonly relatedLocations?: SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: {
    readonly kind: 'external';
    readonly status: 'accepted';
    readonly justification: string;
  }[];
  readonly properties: Record<string, string | boolean>;
}

export interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly version?: string;
      readonly informationUri?: string;
      readonly rules: SarifRule[];
    };
  };
  readonly automationDetails: { readonly id: string };
  readonly invocations: {
    readonly executionSuccessful: boolean;
    readonly toolExecutionNotifications?: { level: 'error'; message: SarifMessage }[];
  }[];
  readonly columnKind: 'utf16CodeUnits';
  readonly results: SarifResult[];
}

/** Which findings a SARIF file holds. */
export type SarifResults = 'open' | 'acknowledged';

export interface SarifOptions {
  /**
   * Path of the cloud assembly relative to the project root, prefixed to template paths; `null`
   * when the assembly lies outside the project (GitHub takes only paths relative to the
   * repository root, so templates are then left out of the locations). @default 'cdk.out'
   */
  readonly assemblyUri?: string | null;
  /**
   * `open` (default): only open findings, without suppressions: the file to upload to GitHub code
   * scanning, where every result becomes an alert. `acknowledged`: only acknowledged findings,
   * each with its suppression and reason, for the record (not for upload).
   */
  readonly results?: SarifResults;
  /**
   * Web address of the project's repository (e.g. `https://github.com/org/repo`), used for the
   * help links of the ISO pack's rules (its statement of applicability).
   * @default from GITHUB_SERVER_URL and GITHUB_REPOSITORY when set, else the ISO standard's page
   */
  readonly repositoryUrl?: string;
  /**
   * The file a finding without source or template location points at (GitHub shows a result only
   * with a file). @default 'cdk.json'
   */
  readonly fallbackUri?: string;
}

/** The documentation each plugin's rules link to, where its findings carry none. */
const PLUGIN_HELP: Readonly<Record<string, string>> = {
  AwsSolutions: 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#awssolutions',
  'NIST.800.53.R5': 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#nist-800-53-rev-5',
  'HIPAA.Security': 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#hipaa-security',
  'PCI.DSS.321': 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#pci-dss-321',
  'cdk-validator-cfnguard':
    'https://github.com/cdklabs/cdk-validator-cfnguard#bundled-control-tower-rules',
  'CloudFormation Validate':
    'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib-readme.html#policy-validation',
  'Construct Annotations':
    'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Annotations.html',
};
const ISO_STANDARD = 'https://www.iso.org/standard/27001';
const FALLBACK_HELP = 'https://docs.aws.amazon.com/cdk/v2/guide/home.html';

/** The namespace `acknowledge()` takes for a plugin's findings. */
const ACK_SOURCE: Readonly<Record<string, string>> = {
  'CloudFormation Validate': 'CloudFormation-Validate',
  'Construct Annotations': 'Annotation',
};

/** GitHub maps security-severity to low (0.1-3.9), medium (4.0-6.9), high (7.0-8.9), critical (9.0+). */
const SECURITY_SEVERITY: Readonly<Record<FindingLevel, string>> = {
  error: '8.0',
  warning: '5.0',
  note: '2.0',
};
const PROBLEM_SEVERITY = {
  error: 'error',
  warning: 'warning',
  note: 'recommendation',
} as const;

/** GitHub shows at most 1024 characters of a rule's descriptions. */
const MAX_DESCRIPTION = 1024;

function clip(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

function defaultRepositoryUrl(): string | undefined {
  const server = process.env.GITHUB_SERVER_URL;
  const repo = process.env.GITHUB_REPOSITORY;
  return server && repo ? `${server.replace(/\/+$/, '')}/${repo}` : undefined;
}

function helpUriOf(f: Finding, repositoryUrl: string | undefined): string {
  if (/^https?:\/\//.test(f.documentationUrl ?? '')) return f.documentationUrl as string;
  if (f.control) {
    return repositoryUrl
      ? `${repositoryUrl}/blob/HEAD/docs/compliance/iso27001.md#statement-of-applicability`
      : ISO_STANDARD;
  }
  return PLUGIN_HELP[f.pluginName] ?? FALLBACK_HELP;
}

/** `ISO.27001.2022-S3BucketInBackupSelection[x]` → `S3BucketInBackupSelection`. */
function ruleName(id: string): string {
  const base = id.replace(/\[.*$/, '');
  const dash = base.lastIndexOf('-');
  return (dash >= 0 ? base.slice(dash + 1) : base) || id;
}

function helpOf(
  f: Finding,
  helpUri: string,
  controlTitles: ReadonlyMap<string, string>,
): SarifRule['help'] {
  const control = f.control
    ? `${f.control}${controlTitles.has(f.control) ? ` ${controlTitles.get(f.control)}` : ''}`
    : undefined;
  const source = ACK_SOURCE[f.pluginName] ?? f.pluginName;
  const call = `acknowledge(resource, '${source}', '${f.ruleId}', reason, { owner, expires })`;
  const description = f.description || f.ruleId;
  const text = [
    `${description}`,
    ...(control ? [`ISO/IEC 27001:2022 Annex A control: ${control}.`] : []),
    `Reported by: ${f.pluginName}.`,
    f.suggestedFix
      ? `Fix: ${f.suggestedFix}`
      : 'Fix: change the construct named in the result so the resource complies.',
    `Only where a compensating control truly covers the risk: acknowledge the finding on the one ` +
      `resource, ${call}, with the reason stating that control.`,
    `Documentation: ${helpUri}`,
  ].join('\n\n');
  const markdown = [
    `**${description}**`,
    ...(control ? [`ISO/IEC 27001:2022 Annex A control: **${control}**.`] : []),
    `Reported by \`${f.pluginName}\`.`,
    f.suggestedFix
      ? `**Fix:** ${f.suggestedFix}`
      : '**Fix:** change the construct named in the result so the resource complies.',
    `Only where a compensating control truly covers the risk: acknowledge the finding on the one ` +
      `resource with \`${call}\`, the reason stating that control.`,
    `[Documentation](${helpUri})`,
  ].join('\n\n');
  return { text, markdown };
}

function rulesOf(
  findings: readonly Finding[],
  options: { repositoryUrl?: string; controlTitles: ReadonlyMap<string, string> },
): SarifRule[] {
  const rules = new Map<string, SarifRule>();
  for (const f of findings) {
    if (rules.has(f.ruleId)) continue;
    const helpUri = helpUriOf(f, options.repositoryUrl);
    rules.set(f.ruleId, {
      id: f.ruleId,
      name: ruleName(f.ruleId),
      shortDescription: { text: clip(f.description || f.ruleId) },
      fullDescription: { text: clip(f.description || f.ruleId) },
      helpUri,
      help: helpOf(f, helpUri, options.controlTitles),
      defaultConfiguration: { level: f.level },
      properties: {
        tags: ['security', 'compliance', f.pluginName, ...(f.control ? [f.control] : [])],
        'security-severity': SECURITY_SEVERITY[f.level],
        precision: 'high',
        'problem.severity': PROBLEM_SEVERITY[f.level],
        ...(f.control ? { annexAControl: f.control } : {}),
      },
    });
  }
  return [...rules.values()];
}

function joinUri(base: string, relative: string): string {
  return base ? `${base.replace(/\/+$/, '')}/${relative}` : relative;
}

/** A source file the repository holds: relative, forward slashes, not above the root. */
function isRepositoryPath(file: string): boolean {
  return !file.startsWith('/') && !/^[A-Za-z]:/.test(file) && !file.startsWith('..');
}

function logicalLocations(finding: Finding): SarifLocation['logicalLocations'] {
  const path = finding.resource.constructPath;
  return path
    ? [{ name: path.split('/').pop() ?? path, fullyQualifiedName: path, kind: 'resource' }]
    : undefined;
}

function templateLocation(finding: Finding, assemblyUri: string | null): SarifLocation | undefined {
  const r = finding.resource;
  if (!r.templatePath || assemblyUri === null) return undefined;
  return {
    physicalLocation: {
      artifactLocation: { uri: joinUri(assemblyUri, r.templatePath) },
      ...(r.templateLine ? { region: { startLine: r.templateLine } } : {}),
    },
  };
}

/**
 * Primary location: the source file and line where the construct is created (what a developer
 * changes); the synthesized template as a related location. Without a source location, the
 * template is the primary location.
 */
function locationsOf(
  finding: Finding,
  assemblyUri: string | null,
  fallbackUri: string,
): Pick<SarifResult, 'locations' | 'relatedLocations'> {
  const source = finding.resource.source;
  const logical = logicalLocations(finding);
  const template = templateLocation(finding, assemblyUri);
  if (source && isRepositoryPath(source.file)) {
    return {
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: source.file },
            region: {
              startLine: source.line,
              ...(source.column ? { startColumn: source.column } : {}),
            },
          },
          ...(logical ? { logicalLocations: logical } : {}),
        },
      ],
      ...(template
        ? {
            relatedLocations: [
              {
                id: 1,
                ...template,
                message: {
                  text: `The resource in the synthesized template${finding.resource.logicalId ? ` (${finding.resource.logicalId})` : ''}.`,
                },
              },
            ],
          }
        : {}),
    };
  }
  // GitHub shows a result only with a file and line: the template (line 1 when the resource's
  // line is unknown), else the app's cdk.json, which names the app that produced the finding
  const physical = template?.physicalLocation ?? {
    artifactLocation: { uri: fallbackUri },
  };
  return {
    locations: [
      {
        physicalLocation: { ...physical, region: physical.region ?? { startLine: 1 } },
        ...(logical ? { logicalLocations: logical } : {}),
        ...(template
          ? {}
          : { message: { text: 'No source or template location recorded for this finding.' } }),
      },
    ],
  };
}

/**
 * Stable across runs and line moves: the plugin, the rule and the construct path (not the line,
 * so editing code above the construct does not open a new alert). Given as GitHub's
 * `primaryLocationLineHash` too, so the upload action does not compute a line-based one.
 */
export function fingerprintOf(finding: Finding): string {
  return createHash('sha256')
    .update(
      `${finding.pluginName}\n${finding.ruleId}\n${finding.resource.constructPath || finding.resource.logicalId || ''}`,
    )
    .digest('hex')
    .slice(0, 32);
}

function resultOf(
  finding: Finding,
  ruleIndex: number,
  assemblyUri: string | null,
  fallbackUri: string,
): SarifResult {
  const r = finding.resource;
  const properties: Record<string, string | boolean> = {
    severity: finding.severity,
    notCheckable: finding.notCheckable,
  };
  if (r.stackId) properties.stack = r.stackId;
  if (r.logicalId) properties.logicalId = r.logicalId;
  if (r.constructFqn) properties.constructFqn = r.constructFqn;
  if (finding.control) properties.annexAControl = finding.control;
  if (finding.acknowledgement?.at) properties.acknowledgedAt = finding.acknowledgement.at;
  if (finding.acknowledgement?.owner) properties.owner = finding.acknowledgement.owner;
  if (finding.acknowledgement?.expires) properties.expires = finding.acknowledgement.expires;
  if (finding.expiredAcknowledgement) {
    properties.acknowledgementExpired = finding.expiredAcknowledgement.expires;
  }
  const fingerprint = fingerprintOf(finding);
  const where = r.constructPath ? ` (${r.constructPath})` : '';
  const expired = finding.expiredAcknowledgement
    ? ` Its acknowledgement expired on ${finding.expiredAcknowledgement.expires}.`
    : '';
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.level,
    kind: 'fail',
    message: { text: `${finding.description || finding.ruleId}${where}${expired}` },
    ...locationsOf(finding, assemblyUri, fallbackUri),
    partialFingerprints: {
      'constructPathHash/v1': fingerprint,
      primaryLocationLineHash: fingerprint,
    },
    ...(finding.acknowledgement
      ? {
          suppressions: [
            {
              kind: 'external' as const,
              status: 'accepted' as const,
              justification: finding.acknowledgement.reason ?? 'No reason given.',
            },
          ],
        }
      : {}),
    properties,
  };
}

function runOf(
  pack: PackReport,
  assemblyUri: string | null,
  fallbackUri: string,
  which: SarifResults,
  ruleOptions: Parameters<typeof rulesOf>[1],
): SarifRun {
  // every rule the pack reported, in both files, so rule indexes and help agree between them
  const rules = rulesOf(pack.findings, ruleOptions);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const findings = pack.findings.filter((f) =>
    which === 'open' ? !f.acknowledgement : Boolean(f.acknowledgement),
  );
  return {
    tool: {
      driver: {
        name: pack.pluginName,
        ...(pack.pluginVersion ? { version: pack.pluginVersion } : {}),
        rules,
      },
    },
    automationDetails: { id: `cdk-compliance/${pack.pluginName}/` },
    invocations: [
      {
        executionSuccessful: !pack.pluginError,
        ...(pack.pluginError
          ? {
              toolExecutionNotifications: [{ level: 'error', message: { text: pack.pluginError } }],
            }
          : {}),
      },
    ],
    columnKind: 'utf16CodeUnits',
    results: findings.map((f) => resultOf(f, index.get(f.ruleId) ?? 0, assemblyUri, fallbackUri)),
  };
}

/**
 * SARIF 2.1.0, one run per validation plugin. By default only the open findings (the file for
 * GitHub code scanning); `results: 'acknowledged'` writes the acknowledged ones with their
 * suppressions instead.
 */
export function renderSarif(report: ComplianceReport, options: SarifOptions = {}): SarifLog {
  const assemblyUri = options.assemblyUri === undefined ? 'cdk.out' : options.assemblyUri;
  const ruleOptions = {
    repositoryUrl: (options.repositoryUrl ?? defaultRepositoryUrl())?.replace(/\/+$/, ''),
    controlTitles: new Map(report.controls.map((c) => [c.id, c.title])),
  };
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: report.packs.map((pack) =>
      runOf(
        pack,
        assemblyUri,
        options.fallbackUri ?? 'cdk.json',
        options.results ?? 'open',
        ruleOptions,
      ),
    ),
  };
}
