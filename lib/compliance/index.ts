export { acknowledge } from './acknowledge';
export type { FindingSource } from './acknowledge';
export { ANNEX_A_CONTROLS, controlIdInDescription, controlOfRule } from './controls';
export type { AnnexAControl, AnnexATheme } from './controls';
export { ISO_27001_PACK_NAME, Iso27001Checks } from './iso27001-checks';
export type { Iso27001ChecksProps } from './iso27001-checks';
export * from './rules';
export { addValidationPlugins, validationPlugins } from './validators';
