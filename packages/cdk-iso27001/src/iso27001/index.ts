/**
 * The ISO/IEC 27001:2022 cdk-nag pack: its public API. The pack reads nothing of the platform
 * (config, constructs, stacks): an ESLint rule enforces that boundary.
 */
export { ANNEX_A_CONTROLS, controlIdInDescription, controlOfRule } from './controls';
export type { AnnexAControl, AnnexATheme } from './controls';
export { ISO_27001_PACK_NAME, ISO_27001_PACK_VERSION, Iso27001Checks } from './iso27001-checks';
export { EVALUATIONS_FILE } from './evaluations';
export type { Iso27001Evaluations, RuleEvaluation } from './evaluations';
export type { Iso27001ChecksProps } from './iso27001-checks';
export * from './rules';
export {
  ISO27001_DEFAULT_POLICY,
  ISO27001_DEFAULT_REQUIRED_TAGS,
  ISO27001_POLICY_FLOORS,
  policyProblems,
  resolvePolicy,
} from './policy';
export type { Iso27001Policy } from './policy';
