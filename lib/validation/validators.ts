import type { App, IPolicyValidationPlugin } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import type { ComplianceConfig, PlatformConfig } from '../config';
import { Iso27001Checks } from '@logistics-platform/cdk-iso27001';
import { CachedCloudFormationValidatePlugin } from './cached-cloudformation-validate';
import { ParallelCfnGuardValidator } from './parallel-cfn-guard';

/**
 * The validation plugins that run at synth, per the config. aws-cdk-lib's built-in CloudFormation
 * validation runs as `CachedCloudFormationValidatePlugin` (the same engine and rules, its findings
 * cached per template), which replaces the built-in instance; `CDK_VALIDATION=false` turns it off
 * as it turns off the built-in one, and `@aws-cdk/core:validateAgainstDefaultRules` in cdk.json
 * makes its findings errors.
 *
 * `extraPacks` is where project packs plug in (the ISO 27001:2022 pack).
 */
export function validationPlugins(
  app: App,
  compliance: ComplianceConfig,
  extraPacks: readonly IPolicyValidationPlugin[] = [],
): IPolicyValidationPlugin[] {
  const plugins: IPolicyValidationPlugin[] = [];
  if (compliance.awsSolutions) plugins.push(new AwsSolutionsChecks(app));
  if (compliance.nist80053r5) plugins.push(new NIST80053R5Checks(app));
  if (compliance.hipaa) plugins.push(new HIPAASecurityChecks(app));
  if (compliance.pciDss321) plugins.push(new PCIDSS321Checks(app));
  if (compliance.controlTower) plugins.push(new ParallelCfnGuardValidator());
  if (app._builtinCloudFormationValidation && process.env.CDK_VALIDATION !== 'false') {
    plugins.push(new CachedCloudFormationValidatePlugin());
  }
  plugins.push(...extraPacks);
  return plugins;
}

/**
 * The project's ISO 27001:2022 pack, configured from the platform config: required tags, allowed
 * regions, environments and their accounts, and the minimums of the compliance policy
 * (`compliance.policy`), which is stated on its own and never derived from the retention settings
 * the pack audits: an environment below the policy fails synth.
 */
export function iso27001Pack(app: App, config: PlatformConfig): Iso27001Checks {
  const policy = config.compliance.policy;
  return new Iso27001Checks(app, {
    environments: Object.fromEntries(
      Object.entries(config.environments).map(([name, env]) => [
        name,
        { account: env.account, production: env.production },
      ]),
    ),
    requiredTags: ['Application', 'Environment', 'Owner', 'DataClassification'],
    allowedRegions: config.allowedRegions,
    minimumLogRetentionDays: policy.minimumLogRetentionDays,
    minimumBackupRetentionDays: policy.minimumBackupRetentionDays,
    minimumKeyDeletionWindowDays: policy.minimumKeyDeletionWindowDays,
  });
}

export function addValidationPlugins(
  app: App,
  compliance: ComplianceConfig,
  extraPacks: readonly IPolicyValidationPlugin[] = [],
): void {
  Validations.of(app).addPlugins(...validationPlugins(app, compliance, extraPacks));
}
