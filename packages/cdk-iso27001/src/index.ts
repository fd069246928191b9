/**
 * @logistics-platform/cdk-iso27001: the ISO/IEC 27001:2022 Annex A pack for cdk-nag v3 and the
 * acknowledgement helpers. The compliance report (HTML, Markdown, SARIF, summary) is the
 * `@logistics-platform/cdk-iso27001/report` entry point.
 */
export * from './iso27001';
export * from './acknowledge';
