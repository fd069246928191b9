// In-process test apps skip aws-cdk-lib's built-in CloudFormation validation (about 5 s per app):
// template assertions do not need it, and the real `cdk synth` of the default platform
// (test/support/cloud-assembly.ts, a separate process without this setting) runs it with every
// other validator, its findings as errors.
process.env.CDK_VALIDATION = 'false';

// A deprecated aws-cdk-lib API fails the test that reaches it (it is otherwise a warning in the
// synth output that nobody reads, until the next major version removes it).
process.env.JSII_DEPRECATED = 'fail';
