import * as fs from 'fs';
import * as path from 'path';
import type { SarifLog } from '@logistics-platform/cdk-iso27001/report';

// ajv 6 (draft-04 support, as the SARIF 2.1.0 schema needs); no types shipped for the meta-schema
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv') as new (options: object) => {
  addMetaSchema(schema: object): void;
  compile(schema: object): ((data: unknown) => boolean) & {
    errors?: { dataPath: string; message?: string }[] | null;
  };
};

/**
 * The SARIF 2.1.0 JSON schema (OASIS, final 2.1.0 = rtm.5, as SchemaStore serves it at
 * https://json.schemastore.org/sarif-2.1.0.json), vendored from the npm package
 * @microsoft/jest-sarif 1.0.0-beta.0 (lib/schemas/sarif-2.1.0-rtm.5.json), so the test runs offline.
 */
const SCHEMA = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'),
) as object;

let validator: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;

/** Problems of a log against the SARIF 2.1.0 JSON schema, as `<path>: <message>`. */
export function schemaProblems(log: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv({ schemaId: 'auto', allErrors: true, format: 'full' });
    ajv.addMetaSchema(
      JSON.parse(
        fs.readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8'),
      ) as object,
    );
    validator = ajv.compile(SCHEMA);
  }
  return validator(log) ? [] : (validator.errors ?? []).map((e) => `${e.dataPath}: ${e.message}`);
}

/**
 * GitHub code scanning's documented ingestion requirements for third-party SARIF ("SARIF support
 * for code scanning" and "SARIF results exceed one or more limits", docs.github.com), written down
 * as checks. Returns what an upload would be rejected for, or would show badly.
 */
export function githubProblems(log: SarifLog, rawSize: number): string[] {
  const problems: string[] = [];
  const p = (text: string) => problems.push(text);
  // upload limits: 10 MB gzip-compressed per file (the raw size bounds it from above)
  if (rawSize > 10 * 1024 * 1024) p(`file of ${rawSize} bytes (limit 10 MB)`);
  if (log.version !== '2.1.0') p('version must be 2.1.0');
  if (!Array.isArray(log.runs)) p('runs must be present');
  if (log.runs.length > 20) p(`${log.runs.length} runs per file (limit 20)`);
  const categories = new Set<string>();
  log.runs.forEach((run, r) => {
    const at = `runs[${r}]`;
    const driver = run.tool.driver;
    if (!driver.name) p(`${at}.tool.driver.name is required`);
    // one analysis per tool and category in one upload
    const category = `${driver.name}|${run.automationDetails?.id ?? ''}`;
    if (categories.has(category)) p(`${at}: a second run of ${driver.name} in one category`);
    categories.add(category);
    if (driver.rules.length > 25_000) p(`${at}: ${driver.rules.length} rules (limit 25,000)`);
    if (run.results.length > 25_000) p(`${at}: ${run.results.length} results (limit 25,000)`);
    if (run.results.length > 5_000) p(`${at}: over 5,000 results: only 5,000 are kept`);
    const ids = new Set<string>();
    for (const rule of driver.rules) {
      const where = `${at} rule ${rule.id}`;
      if (!rule.id) p(`${at}: a rule without id`);
      if (ids.has(rule.id)) p(`${where}: duplicate id`);
      ids.add(rule.id);
      // shown at the top of an alert; GitHub keeps 1024 characters
      if (!rule.shortDescription?.text) p(`${where}: no shortDescription.text`);
      if ((rule.shortDescription?.text ?? '').length > 1024) p(`${where}: shortDescription > 1024`);
      if (!rule.fullDescription?.text) p(`${where}: no fullDescription.text`);
      if ((rule.fullDescription?.text ?? '').length > 1024) p(`${where}: fullDescription > 1024`);
      // the alert's help panel
      if (!rule.help?.text) p(`${where}: no help.text`);
      if (!rule.help?.markdown) p(`${where}: no help.markdown`);
      if (!/^https:\/\//.test(rule.helpUri ?? '')) p(`${where}: helpUri is not an https address`);
      const tags = rule.properties?.tags ?? [];
      if (tags.length > 20) p(`${where}: ${tags.length} tags (limit 20; 10 shown)`);
      // security-severity: a number 0.0-10.0 as a string, on a rule tagged "security"
      const severity = rule.properties?.['security-severity'];
      if (!/^\d+(\.\d+)?$/.test(severity ?? '') || Number(severity) > 10)
        p(`${where}: security-severity '${severity}' is not 0.0-10.0`);
      if (!tags.includes('security')) p(`${where}: security-severity needs the "security" tag`);
      if (!['error', 'warning', 'note', 'none'].includes(rule.defaultConfiguration?.level))
        p(`${where}: defaultConfiguration.level`);
    }
    run.results.forEach((result, i) => {
      const where = `${at}.results[${i}] (${result.ruleId})`;
      if (!result.ruleId) p(`${where}: ruleId is required`);
      if (!ids.has(result.ruleId)) p(`${where}: ruleId names no rule of the run`);
      if (driver.rules[result.ruleIndex]?.id !== result.ruleId) p(`${where}: ruleIndex`);
      if (!result.message?.text) p(`${where}: message.text is required`);
      // upload file: every result is an alert; suppressed ones belong in the other file
      if (result.suppressions?.length) p(`${where}: suppressed result in the upload file`);
      // at least one location, at most 1,000 (100 shown)
      if (result.locations.length === 0) p(`${where}: no location`);
      if (result.locations.length > 1000) p(`${where}: over 1,000 locations`);
      const primary = result.locations[0]?.physicalLocation;
      if (!primary) p(`${where}: the primary location has no physicalLocation`);
      for (const loc of [...result.locations, ...(result.relatedLocations ?? [])]) {
        const uri = loc.physicalLocation?.artifactLocation.uri;
        if (uri === undefined) continue;
        // relative to the repository root: no scheme, no leading slash, no ../
        if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) p(`${where}: uri '${uri}' has a scheme`);
        if (uri.startsWith('/') || uri.startsWith('..')) p(`${where}: uri '${uri}' not relative`);
        if (uri.includes('\\')) p(`${where}: uri '${uri}' has backslashes`);
        const line = loc.physicalLocation?.region?.startLine;
        if (line !== undefined && (!Number.isInteger(line) || line < 1))
          p(`${where}: startLine ${line}`);
      }
      if (primary && !primary.region?.startLine) p(`${where}: primary location without startLine`);
      // fingerprints, so an alert stays one alert across runs
      const fingerprints = Object.values(result.partialFingerprints ?? {});
      if (fingerprints.length === 0) p(`${where}: no partialFingerprints`);
    });
  });
  return problems;
}
