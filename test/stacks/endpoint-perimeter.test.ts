import { stackEnvironments, synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Every VPC endpoint of every stack of the default platform, whichever construct made it: an
 * endpoint without a policy gets AWS's default full-access one, through which another account's
 * stolen credentials could move data out into that account (the Compute stack's ECR endpoints had
 * none until their own test found it). docs/network.md: each endpoint admits only principals of
 * the environment's account.
 */
const synth = synthesizeDefaultPlatform();
if (!synth.succeeded) throw new Error(`the default platform did not synthesize:\n${synth.output}`);
const environments = stackEnvironments(synth.dir);

const endpoints = Object.entries(templates(synth.dir) as Record<string, Json>).flatMap(
  ([stack, template]) =>
    Object.entries((template.Resources ?? {}) as Record<string, Json>)
      .filter(([, r]) => r.Type === 'AWS::EC2::VPCEndpoint')
      .map(([id, r]) => ({ name: `${stack}/${id}`, stack, properties: r.Properties as Json })),
);

test('the platform has gateway and interface endpoints in the Network and Compute stacks', () => {
  const types = new Set(endpoints.map((e) => e.properties.VpcEndpointType ?? 'Gateway'));
  expect([...types].sort()).toEqual(['Gateway', 'Interface']);
  expect(endpoints.some((e) => e.stack.endsWith('-Compute'))).toBe(true);
  expect(endpoints.some((e) => e.stack.endsWith('-Network'))).toBe(true);
});

test('every VPC endpoint of every stack admits only principals of its own account', () => {
  const open = endpoints
    .filter(({ stack, properties }) => {
      const statements = (properties.PolicyDocument?.Statement ?? []) as Json[];
      const account = environments[stack]?.account;
      return !(
        statements.length > 0 &&
        statements.every(
          (s) =>
            s.Effect === 'Allow' &&
            s.Condition?.StringEquals?.['aws:PrincipalAccount'] === account &&
            Object.keys(s.Condition).length === 1,
        )
      );
    })
    .map((e) => e.name);
  expect(open).toEqual([]);
});
