export { compareControlIds, controlOf } from './annex-a';
export { checkedAnnexAControls } from './catalogue';
export {
  DEFAULT_INPUT,
  DEFAULT_OUTPUT,
  runReportCli,
  writeComplianceReport,
  type ReportCliOptions,
  type WriteReportOptions,
} from './cli';
export { parseEvaluations } from './evidence';
export { escapeHtml, renderHtml } from './html';
export { parseValidationReport, ValidationReportError, type RawValidationReport } from './input';
export { escapeMarkdown, escapeMarkdownParagraph, renderMarkdown } from './markdown';
export * from './model';
export {
  buildComplianceReport,
  countFindings,
  ISO_PACK_NAME,
  type BuildReportOptions,
} from './normalize';
export { renderSarif, SARIF_SCHEMA, SARIF_VERSION, type SarifLog } from './sarif';
export { buildSummary, type ComplianceSummary } from './summary';
export { indexAssemblyTemplates, type ResourceLocator } from './template-index';
export { synthWithComplianceReport, type SynthReportOptions } from './synth';
