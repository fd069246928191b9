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
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly helpUri?: string;
  readonly help?: SarifMessage;
  readonly defaultConfiguration: { readonly level: FindingLevel };
  readonly properties: { readonly tags: string[]; readonly annexAControl?: string };
}

interface SarifLocation {
  readonly physicalLocation?: {
    readonly artifactLocation: { readonly uri: string };
    readonly region?: { readonly startLine: number };
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
  readonly invocations: {
    readonly executionSuccessful: boolean;
    readonly toolExecutionNotifications?: { level: 'error'; message: SarifMessage }[];
  }[];
  readonly columnKind: 'utf16CodeUnits';
  readonly results: SarifResult[];
}

export interface SarifOptions {
  /** Path of the cloud assembly relative to the project root, prefixed to template paths. @default 'cdk.out' */
  readonly assemblyUri?: string;
}

function rulesOf(findings: readonly Finding[]): SarifRule[] {
  const rules = new Map<string, SarifRule>();
  for (const f of findings) {
    if (rules.has(f.ruleId)) continue;
    rules.set(f.ruleId, {
      id: f.ruleId,
      shortDescription: { text: f.description || f.ruleId },
      fullDescription: { text: f.description || f.ruleId },
      ...(f.documentationUrl ? { helpUri: f.documentationUrl } : {}),
      ...(f.suggestedFix ? { help: { text: f.suggestedFix } } : {}),
      defaultConfiguration: { level: f.level },
      properties: {
        tags: [f.pluginName, ...(f.control ? [f.control] : [])],
        ...(f.control ? { annexAControl: f.control } : {}),
      },
    });
  }
  return [...rules.values()];
}

function joinUri(base: string, relative: string): string {
  return base ? `${base.replace(/\/+$/, '')}/${relative}` : relative;
}

function locationOf(finding: Finding, assemblyUri: string): SarifLocation {
  const r = finding.resource;
  const path = r.constructPath;
  return {
    ...(r.templatePath
      ? {
          physicalLocation: {
            artifactLocation: { uri: joinUri(assemblyUri, r.templatePath) },
            ...(r.templateLine ? { region: { startLine: r.templateLine } } : {}),
          },
        }
      : {}),
    ...(path
      ? {
          logicalLocations: [
            { name: path.split('/').pop() ?? path, fullyQualifiedName: path, kind: 'resource' },
          ],
        }
      : {}),
  };
}

function resultOf(finding: Finding, ruleIndex: number, assemblyUri: string): SarifResult {
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
  const location = locationOf(finding, assemblyUri);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.level,
    kind: 'fail',
    message: {
      text: r.constructPath ? `${finding.description} (${r.constructPath})` : finding.description,
    },
    locations: Object.keys(location).length ? [location] : [],
    ...(r.source
      ? {
          relatedLocations: [
            {
              physicalLocation: {
                artifactLocation: { uri: r.source.file },
                region: { startLine: r.source.line },
              },
              message: { text: 'The resource is created here.' },
            },
          ],
        }
      : {}),
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

function runOf(pack: PackReport, assemblyUri: string): SarifRun {
  const rules = rulesOf(pack.findings);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  return {
    tool: {
      driver: {
        name: pack.pluginName,
        ...(pack.pluginVersion ? { version: pack.pluginVersion } : {}),
        rules,
      },
    },
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
    results: pack.findings.map((f) => resultOf(f, index.get(f.ruleId) ?? 0, assemblyUri)),
  };
}

/** SARIF 2.1.0: one run per validation plugin; acknowledged findings carry a suppression. */
export function renderSarif(report: ComplianceReport, options: SarifOptions = {}): SarifLog {
  const assemblyUri = options.assemblyUri ?? 'cdk.out';
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: report.packs.map((pack) => runOf(pack, assemblyUri)),
  };
}
