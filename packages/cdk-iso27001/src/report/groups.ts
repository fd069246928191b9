import type {
  ExpiredAcknowledgement,
  Finding,
  FindingLevel,
  FindingResource,
  SourceLocation,
} from './model';

/** Open findings of one rule with one description, and the resources that have them. */
export interface OpenFindingGroup {
  readonly pluginName: string;
  readonly ruleId: string;
  readonly severity: string;
  readonly level: FindingLevel;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly documentationUrl?: string;
  readonly notCheckable: boolean;
  /** The acknowledgement that expired at synth and left these findings open. */
  readonly expiredAcknowledgement?: ExpiredAcknowledgement;
  readonly resources: readonly FindingResource[];
}

export interface AcknowledgedEntry {
  readonly resource: FindingResource;
  readonly at?: string;
  readonly source?: SourceLocation;
  readonly owner?: string;
  readonly expires?: string;
}

/** Acknowledged findings of one rule with one reason. */
export interface AcknowledgementGroup {
  readonly pluginName: string;
  readonly ruleId: string;
  readonly severity: string;
  readonly description: string;
  /** undefined when the acknowledgement gave no reason. */
  readonly reason?: string;
  readonly entries: readonly AcknowledgedEntry[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** Open findings grouped by plugin, rule, severity and description, in the findings' order. */
export function groupOpenFindings(findings: readonly Finding[]): OpenFindingGroup[] {
  const open = findings.filter((f) => !f.acknowledgement);
  return groupBy(open, (f) =>
    JSON.stringify([
      f.pluginName,
      f.ruleId,
      f.severity,
      f.description,
      f.expiredAcknowledgement ?? null,
    ]),
  ).map((group) => ({
    pluginName: group[0].pluginName,
    ruleId: group[0].ruleId,
    severity: group[0].severity,
    level: group[0].level,
    description: group[0].description,
    suggestedFix: group[0].suggestedFix,
    documentationUrl: group[0].documentationUrl,
    notCheckable: group[0].notCheckable,
    ...(group[0].expiredAcknowledgement
      ? { expiredAcknowledgement: group[0].expiredAcknowledgement }
      : {}),
    resources: group.map((f) => f.resource),
  }));
}

/** Acknowledged findings grouped by plugin, rule, description and reason. */
export function groupAcknowledgements(findings: readonly Finding[]): AcknowledgementGroup[] {
  const acknowledged = findings.filter((f) => f.acknowledgement);
  return groupBy(acknowledged, (f) =>
    JSON.stringify([f.pluginName, f.ruleId, f.description, f.acknowledgement?.reason ?? null]),
  ).map((group) => ({
    pluginName: group[0].pluginName,
    ruleId: group[0].ruleId,
    severity: group[0].severity,
    description: group[0].description,
    reason: group[0].acknowledgement?.reason,
    entries: group.map((f) => ({
      resource: f.resource,
      at: f.acknowledgement?.at,
      source: f.acknowledgement?.source,
      owner: f.acknowledgement?.owner,
      expires: f.acknowledgement?.expires,
    })),
  }));
}

/** Shown when an acknowledgement sits on the very resource of the finding. */
export const ACKNOWLEDGED_ON_RESOURCE = 'this resource';

/** `Acknowledgement of <id> expired on <day> (owner: <owner>): the finding is open again.` */
export function expiredText(expired: ExpiredAcknowledgement): string {
  const owner = expired.owner ? ` (owner: ${expired.owner})` : '';
  return `Acknowledgement of ${expired.id} expired on ${expired.expires}${owner}: the finding is open again.`;
}

/** `dev-apse2-Network.template.json#LogicalId` or ''. */
export function templateRef(resource: FindingResource): string {
  if (!resource.templatePath) return '';
  const line = resource.templateLine ? `:${resource.templateLine}` : '';
  return resource.logicalId
    ? `${resource.templatePath}${line} (${resource.logicalId})`
    : resource.templatePath;
}

/** Where the acknowledgement sits; said in words when it is the resource itself. */
export function acknowledgedOn(entry: AcknowledgedEntry): string {
  if (!entry.at) return '';
  return entry.at === entry.resource.constructPath ? ACKNOWLEDGED_ON_RESOURCE : entry.at;
}
