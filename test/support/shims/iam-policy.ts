/**
 * `@cloud-copilot/iam-policy` for the tests (jest.config.js `moduleNameMapper`): the real module,
 * except that `loadPolicy` gives a policy loaded without metadata a name. iam-simulate 0.1.x's
 * unvalidated mode (the IAM simulations use it for KMS encryption-context keys and
 * kms:GrantIsForAWSResource, which it drops as not applicable) loads the resource policy without
 * metadata and then reads its name. Policies are unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const actual = require('../../../node_modules/@cloud-copilot/iam-policy/dist/cjs/index.js');

module.exports = {
  ...actual,
  loadPolicy: (document: unknown, metadata?: unknown) =>
    actual.loadPolicy(document, metadata ?? { name: 'resource-policy' }),
};
