import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

export interface ParallelCfnGuardProps {
  /**
   * Directory of cached results, one file per template content (and guard version).
   * @default node_modules/.cache/cfn-guard under the working directory
   */
  readonly cacheDir?: string;
  /** Guard processes run at once. @default the number of CPUs */
  readonly concurrency?: number;
}

/** The plugin name of `CfnGuardValidator`: acknowledgements use it as their namespace. */
const PLUGIN_NAME = 'cdk-validator-cfnguard';

/**
 * Runs in a separate Node process: evaluates each chunk of templates with `CfnGuardValidator` in
 * its own child process, at most `concurrency` at once, and prints their reports as JSON, in the
 * order of the chunks.
 */
const RUNNER = `
const { spawn } = require('node:child_process');
const { chunks, concurrency } = JSON.parse(process.argv[1]);
const one = ({ paths, disabledRules }) => new Promise((resolve, reject) => {
  const code = "const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');" +
    "const r = new CfnGuardValidator({ maxBuffer: 256 * 1024 * 1024, disabledRules: " +
    JSON.stringify(disabledRules) + " }).validate({ templatePaths: " +
    JSON.stringify(paths) + " }); process.stdout.write(JSON.stringify(r));";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.on('error', reject);
  child.on('close', (status) => status === 0 ? resolve(JSON.parse(out)) : reject(new Error('cfn-guard chunk failed')));
});
const reports = new Array(chunks.length);
let next = 0;
const worker = async () => {
  while (next < chunks.length) {
    const i = next++;
    reports[i] = await one(chunks[i]);
  }
};
Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker)).then(
  () => process.stdout.write(JSON.stringify(reports)),
  (error) => { console.error(error.message); process.exit(1); },
);
`;

/** Resource types each Control Tower rule file inspects, by rule name (file name). */
function ruleResourceTypes(): Map<string, Set<string>> {
  const root = join(
    dirname(require.resolve('@cdklabs/cdk-validator-cfnguard')),
    '..',
    'rules',
    'control-tower',
    'cfn-guard',
  );
  const rules = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.guard')) {
        const types = readFileSync(path, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [];
        rules.set(basename(entry, '.guard'), new Set(types));
      }
    }
  };
  walk(root);
  return rules;
}

function resourceTypesOf(templatePath: string): Set<string> {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
    Resources?: Record<string, { Type?: string }>;
  };
  return new Set(Object.values(template.Resources ?? {}).map((r) => r.Type ?? ''));
}

/**
 * The Control Tower proactive controls of `@cdklabs/cdk-validator-cfnguard`, made fast enough for
 * every synth: each template is evaluated only against the rule files that inspect a resource
 * type it contains (a rule of an absent type cannot find anything, and the time cfn-guard takes
 * grows with the number of rule files), in parallel, and cached per template content so that an
 * unchanged template is never evaluated twice. Reports what `CfnGuardValidator` reports, under
 * the same plugin name.
 */
export class ParallelCfnGuardValidator implements IPolicyValidationPlugin {
  readonly name = PLUGIN_NAME;
  readonly version: string | undefined;
  readonly ruleIds: string[] | undefined;
  private readonly cacheDir: string;
  private readonly concurrency: number;
  private readonly rules = ruleResourceTypes();

  constructor(props: ParallelCfnGuardProps = {}) {
    const reference = new CfnGuardValidator();
    this.version = reference.version;
    this.ruleIds = reference.ruleIds;
    this.cacheDir = props.cacheDir ?? join(process.cwd(), 'node_modules', '.cache', 'cfn-guard');
    this.concurrency = Math.max(1, props.concurrency ?? cpus().length);
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const keys = new Map(context.templatePaths.map((path) => [path, this.keyOf(path)]));
    const results = new Map<string, PolicyViolation[]>();
    const missing: string[] = [];
    for (const [path, key] of keys) {
      const cached = join(this.cacheDir, `${key}.json`);
      if (existsSync(cached)) {
        const stored = JSON.parse(readFileSync(cached, 'utf8')) as PolicyViolation[];
        results.set(path, atTemplate(stored, path));
      } else {
        missing.push(path);
      }
    }
    for (const [path, violations] of this.evaluate(missing)) {
      results.set(path, violations);
      mkdirSync(this.cacheDir, { recursive: true });
      const stored = JSON.stringify(atTemplate(violations, TEMPLATE));
      writeFileSync(join(this.cacheDir, `${keys.get(path)}.json`), stored);
    }
    const violations = merge(context.templatePaths.flatMap((path) => results.get(path) ?? []));
    return { success: violations.length === 0, violations };
  }

  private keyOf(path: string): string {
    return createHash('sha256')
      .update(`${this.version}\n${(this.ruleIds ?? []).join(',')}\n`)
      .update(readFileSync(path))
      .digest('hex');
  }

  /**
   * Violations of each template. Templates are grouped by the rule files that apply to them (those
   * inspecting a resource type they contain): each group is one cfn-guard run against only its
   * rules, `concurrency` runs at a time. Grouping by applicable rules, not round robin, keeps a
   * network template from being evaluated against the rules of every other stack's types; a
   * platform's stacks of one kind share their types across environments and regions, so the
   * groups are few.
   */
  private evaluate(paths: string[]): Map<string, PolicyViolation[]> {
    const byTemplate = new Map<string, PolicyViolation[]>(paths.map((p) => [p, []]));
    const groups = new Map<string, { paths: string[]; disabledRules: string[] }>();
    for (const path of paths) {
      const present = resourceTypesOf(path);
      const disabledRules = [...this.rules]
        .filter(([, types]) => types.size > 0 && ![...types].some((t) => present.has(t)))
        .map(([rule]) => rule);
      // A template of only rule-less resource types (such as a dashboard) has no violations;
      // cfn-guard refuses to run without rules.
      if (disabledRules.length === this.rules.size) continue;
      const key = disabledRules.join('\n');
      const group = groups.get(key) ?? { paths: [], disabledRules };
      group.paths.push(path);
      groups.set(key, group);
    }
    const chunks = [...groups.values()];
    if (chunks.length === 0) return byTemplate;
    const run = spawnSync(
      process.execPath,
      ['-e', RUNNER, JSON.stringify({ chunks, concurrency: this.concurrency })],
      {
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (run.status !== 0) throw new Error('cfn-guard evaluation failed (see the output above)');
    const reports = JSON.parse(run.stdout) as PolicyValidationPluginReport[];
    // cfn-guard names templates by real absolute path, whatever path it was given (the CDK CLI
    // gives paths relative to the working directory, possibly through a symbolic link): match
    // them by real path, report them as given.
    const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
    const given = new Map(paths.map((p) => [real(p), p]));
    for (const violation of reports.flatMap((r) => r.violations)) {
      for (const resource of violation.violatingResources) {
        const path = given.get(real(resource.templatePath ?? ''));
        if (path === undefined) {
          throw new Error(`cfn-guard reported an unknown template: ${resource.templatePath}`);
        }
        byTemplate.get(path)?.push({
          ...violation,
          violatingResources: [{ ...resource, templatePath: path }],
        });
      }
    }
    return byTemplate;
  }
}

/** Cached results name no directory: the same template may be synthesized anywhere. */
const TEMPLATE = '<template>';

function atTemplate(violations: PolicyViolation[], templatePath: string): PolicyViolation[] {
  return violations.map((v) => ({
    ...v,
    violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath })),
  }));
}

/** One violation per rule, with every resource that breaks it (as the validator reports). */
function merge(violations: PolicyViolation[]): PolicyViolation[] {
  const byRule = new Map<string, PolicyViolation>();
  for (const v of violations) {
    const existing = byRule.get(v.ruleName);
    if (existing) {
      byRule.set(v.ruleName, {
        ...existing,
        violatingResources: [...existing.violatingResources, ...v.violatingResources],
      });
    } else {
      byRule.set(v.ruleName, v);
    }
  }
  return [...byRule.values()];
}
