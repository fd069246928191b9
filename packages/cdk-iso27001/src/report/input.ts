/**
 * The input: `cdk.out/validation-report.json` as aws-cdk-lib 2.276 writes it (cloud assembly
 * schema `PolicyValidationReportJson`). Parsing is strict about the structure the report needs
 * (plugin names, rule names, violating constructs) and tolerant of optional keys it may lack.
 */

/** A construct that violated a rule. */
export interface RawViolatingConstruct {
  readonly constructPath: string;
  readonly constructFqn?: string;
  readonly libraryVersion?: string;
  readonly cloudFormationResource?: {
    readonly templatePath: string;
    readonly logicalId: string;
    readonly propertyPaths?: readonly string[];
  };
  readonly stackTraces?: readonly string[];
}

export interface RawViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly customSeverity?: string;
  readonly suggestedFix?: string;
  readonly ruleMetadata?: Readonly<Record<string, string>>;
  readonly violatingConstructs: readonly RawViolatingConstruct[];
}

/** A violation that an acknowledgement suppressed. */
export interface RawSuppressedViolation extends RawViolation {
  readonly acknowledgedId: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedStackTrace?: string;
}

export interface RawPluginReport {
  readonly pluginName: string;
  readonly pluginVersion?: string;
  readonly conclusion: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly preamble?: string;
  readonly violations: readonly RawViolation[];
  readonly suppressedViolations: readonly RawSuppressedViolation[];
}

export interface RawValidationReport {
  readonly version: string;
  readonly title?: string;
  readonly pluginReports: readonly RawPluginReport[];
}

/** The validation report is missing or does not have the expected structure. */
export class ValidationReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationReportError';
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, what: string): never {
  throw new ValidationReportError(`${where}: ${what}`);
}

function requiredString(obj: JsonObject, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') fail(`${where}.${key}`, 'expected a string');
  return value;
}

function optionalString(obj: JsonObject, key: string, where: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${where}.${key}`, 'expected a string');
  return value;
}

function stringRecord(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) fail(where, 'expected an object');
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) out[key] = String(entry);
  return out;
}

function list(obj: JsonObject, key: string, where: string, optional = false): unknown[] {
  const value = obj[key];
  if ((value === undefined || value === null) && optional) return [];
  if (!Array.isArray(value)) fail(`${where}.${key}`, 'expected an array');
  return value;
}

function parseConstruct(value: unknown, where: string): RawViolatingConstruct {
  if (!isObject(value)) fail(where, 'expected an object');
  const cfn = value.cloudFormationResource;
  let cloudFormationResource: RawViolatingConstruct['cloudFormationResource'];
  if (isObject(cfn)) {
    const cfnWhere = `${where}.cloudFormationResource`;
    cloudFormationResource = {
      templatePath: requiredString(cfn, 'templatePath', cfnWhere),
      logicalId: requiredString(cfn, 'logicalId', cfnWhere),
      propertyPaths: list(cfn, 'propertyPaths', cfnWhere, true).map(String),
    };
  }
  return {
    // aws-cdk-lib writes '' when it could not map a resource back to a construct.
    constructPath: optionalString(value, 'constructPath', where) ?? '',
    constructFqn: optionalString(value, 'constructFqn', where),
    libraryVersion: optionalString(value, 'libraryVersion', where),
    cloudFormationResource,
    stackTraces: list(value, 'stackTraces', where, true).map(String),
  };
}

function parseViolation(value: unknown, where: string): RawViolation {
  if (!isObject(value)) fail(where, 'expected an object');
  return {
    ruleName: requiredString(value, 'ruleName', where),
    description: optionalString(value, 'description', where) ?? '',
    severity: optionalString(value, 'severity', where) ?? 'error',
    customSeverity: optionalString(value, 'customSeverity', where),
    suggestedFix: optionalString(value, 'suggestedFix', where),
    ruleMetadata: stringRecord(value.ruleMetadata, `${where}.ruleMetadata`),
    violatingConstructs: list(value, 'violatingConstructs', where).map((c, i) =>
      parseConstruct(c, `${where}.violatingConstructs[${i}]`),
    ),
  };
}

function parseSuppressed(value: unknown, where: string): RawSuppressedViolation {
  const violation = parseViolation(value, where);
  const obj = value as JsonObject;
  return {
    ...violation,
    acknowledgedId: optionalString(obj, 'acknowledgedId', where) ?? violation.ruleName,
    reason: optionalString(obj, 'reason', where),
    acknowledgedAt: optionalString(obj, 'acknowledgedAt', where),
    acknowledgedStackTrace: optionalString(obj, 'acknowledgedStackTrace', where),
  };
}

function parsePlugin(value: unknown, where: string): RawPluginReport {
  if (!isObject(value)) fail(where, 'expected an object');
  return {
    pluginName: requiredString(value, 'pluginName', where),
    pluginVersion: optionalString(value, 'pluginVersion', where),
    conclusion: optionalString(value, 'conclusion', where) ?? 'unknown',
    metadata: stringRecord(value.metadata, `${where}.metadata`),
    preamble: optionalString(value, 'preamble', where),
    violations: list(value, 'violations', where, true).map((v, i) =>
      parseViolation(v, `${where}.violations[${i}]`),
    ),
    suppressedViolations: list(value, 'suppressedViolations', where, true).map((v, i) =>
      parseSuppressed(v, `${where}.suppressedViolations[${i}]`),
    ),
  };
}

/** Check and type a parsed `validation-report.json`; throws ValidationReportError naming the path. */
export function parseValidationReport(json: unknown): RawValidationReport {
  if (!isObject(json)) fail('validation report', 'expected a JSON object');
  return {
    version: optionalString(json, 'version', 'report') ?? 'unknown',
    title: optionalString(json, 'title', 'report'),
    pluginReports: list(json, 'pluginReports', 'report').map((p, i) =>
      parsePlugin(p, `pluginReports[${i}]`),
    ),
  };
}
