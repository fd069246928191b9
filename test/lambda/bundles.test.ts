import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';

/**
 * What the Lambda Node.js runtime does not ship must be in the bundle: a `require` of a package
 * the runtime lacks fails at init in AWS only. The runtime provides the AWS SDK's service clients
 * (`@aws-sdk/client-*`) and their shared libraries; `@aws-sdk/rds-signer` (IAM database auth
 * tokens) is not among them, so a function that signs tokens must bundle it.
 */
const NOT_IN_RUNTIME = ['@aws-sdk/rds-signer'];

const synth = synthesizeDefaultPlatform();

interface FunctionResource {
  readonly Type: string;
  readonly Metadata?: Record<string, unknown>;
  readonly Properties: { readonly Tags?: readonly { Key: string; Value: string }[] };
}

const bundles = Object.entries(templates(synth.dir)).flatMap(([stack, template]) =>
  Object.entries((template.Resources ?? {}) as Record<string, FunctionResource>)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id, r]) => ({
      where: `${stack}/${id}`,
      contract: r.Properties.Tags?.find((t) => t.Key === 'FunctionContract')?.Value,
      asset: r.Metadata?.['aws:asset:path'] as string | undefined,
    }))
    .filter((f) => f.contract !== undefined && f.asset !== undefined),
);

test('the synth succeeded and platform functions have bundles to read', () => {
  expect(synth.succeeded).toBe(true);
  expect(bundles.length).toBeGreaterThan(20);
});

test('no platform bundle requires a package the Lambda runtime does not ship', () => {
  const missing = bundles.flatMap((f) => {
    const file = join(synth.dir, f.asset!, 'index.js');
    if (!existsSync(file)) return [`${f.where} (${f.contract}): no index.js in ${f.asset}`];
    const code = readFileSync(file, 'utf8');
    return NOT_IN_RUNTIME.filter((pkg) => code.includes(`require("${pkg}")`)).map(
      (pkg) => `${f.where} (${f.contract}) requires ${pkg} at run time`,
    );
  });
  expect(missing).toEqual([]);
});
