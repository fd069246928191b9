/**
 * The ISO/IEC 27001:2022 cdk-nag pack: its public API. The pack reads nothing of the platform
 * (config, constructs, stacks): an ESLint rule enforces that boundary.
 */
export { ANNEX_A_CONTROLS, controlIdInDescription, controlOfRule } from './controls';
export type { AnnexAControl, AnnexATheme } from './controls';
export { ISO_27001_PACK_NAME, Iso27001Checks } from './iso27001-checks';
export type { Iso27001ChecksProps } from './iso27001-checks';
export * from './rules';
