import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';

export interface CachedCloudFormationValidateProps {
  /**
   * Directory of cached results, one file per template content, stack and engine version.
   * @default node_modules/.cache/cloudformation-validate under the working directory
   */
  readonly cacheDir?: string;
}

type StackTemplate = IPolicyValidationContext['stackTemplates'][number];

/** Cached results name no directory: the same template may be synthesized anywhere. */
const TEMPLATE = '<template>';

/** The aws-cdk-lib version: a new release may change how diagnostics become violations. */
const CDK_VERSION = (
  JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * aws-cdk-lib's built-in CloudFormation validation (the same engine, default rules and exclusions,
 * under the same plugin name, so its acknowledgements and the `validateAgainstDefaultRules` flag
 * apply unchanged), with its findings cached per template.
 *
 * The engine evaluates each template on its own (a finding of one template never depends on
 * another), so a template evaluated before, with the same content, stack path, account and region
 * and the same engine version, is not evaluated again. Registering an instance of
 * `CloudFormationValidatePlugin` on the App replaces the built-in one, so it never runs twice.
 */
export class CachedCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private readonly cacheDir: string;

  constructor(props: CachedCloudFormationValidateProps = {}) {
    super();
    this.cacheDir =
      props.cacheDir ?? join(process.cwd(), 'node_modules', '.cache', 'cloudformation-validate');
  }

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const files = context.stackTemplates.map((stack) =>
      join(this.cacheDir, `${this.keyOf(stack)}.json`),
    );
    this.prepareEngine(context.stackTemplates.filter((_s, i) => !existsSync(files[i])));
    const perTemplate = context.stackTemplates.map((stack, i) => {
      const file = files[i];
      if (existsSync(file)) {
        const stored = JSON.parse(readFileSync(file, 'utf8')) as PolicyViolation[];
        return atTemplate(stored, stack.templatePath);
      }
      // One template at a time, so that what is stored is exactly this template's findings.
      const report = super.validate({
        ...context,
        templatePaths: [stack.templatePath],
        stackTemplates: [stack],
      });
      mkdirSync(this.cacheDir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(atTemplate(report.violations, TEMPLATE)));
      renameSync(temporary, file);
      return report.violations;
    });
    const violations = merge(perTemplate.flat());
    return {
      success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'),
      violations,
    };
  }

  /**
   * Starts the engine once with the rules of every template still to evaluate; otherwise each
   * template with a new resource type would restart it. Only a speed-up: when aws-cdk-lib has no
   * such method, each evaluation starts the engine it needs.
   */
  private prepareEngine(stacks: StackTemplate[]): void {
    const engine = this as unknown as { initializeEngine?: (types: Set<string>) => unknown };
    if (stacks.length < 2 || typeof engine.initializeEngine !== 'function') return;
    const types = new Set<string>();
    for (const stack of stacks) {
      const template = JSON.parse(readFileSync(stack.templatePath, 'utf8')) as {
        Resources?: Record<string, { Type?: unknown }>;
      };
      for (const resource of Object.values(template.Resources ?? {})) {
        if (typeof resource?.Type === 'string') types.add(resource.Type);
      }
    }
    engine.initializeEngine(types);
  }

  private keyOf(stack: StackTemplate): string {
    return createHash('sha256')
      .update(
        JSON.stringify({
          cdk: CDK_VERSION,
          engine: this.version,
          rules: this.ruleIds,
          stack: stack.stackConstructPath,
          account: stack.accountId,
          region: stack.region,
        }),
      )
      .update('\n')
      .update(readFileSync(stack.templatePath))
      .digest('hex');
  }
}

function atTemplate(violations: PolicyViolation[], templatePath: string): PolicyViolation[] {
  return violations.map((v) => ({
    ...v,
    violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath })),
  }));
}

/**
 * One violation per rule, severity and description, with its resources in template order: how
 * the built-in plugin merges the diagnostics of several templates.
 */
function merge(violations: PolicyViolation[]): PolicyViolation[] {
  const merged: PolicyViolation[] = [];
  for (const v of violations) {
    const existing = merged.find(
      (m) =>
        m.ruleName === v.ruleName && m.severity === v.severity && m.description === v.description,
    );
    if (existing) existing.violatingResources.push(...v.violatingResources);
    else merged.push({ ...v, violatingResources: [...v.violatingResources] });
  }
  return merged;
}
