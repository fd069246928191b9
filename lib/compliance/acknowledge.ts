// The acknowledgement helpers live in the ISO pack's package; this path stays for the platform's
// constructs.
export * from '@logistics-platform/cdk-iso27001/acknowledge';
