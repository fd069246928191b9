import { contract as dbBootstrap } from '../../lambda/db-bootstrap/contract';
import { contract as lifecycleSweep } from '../../lambda/lifecycle-sweep/contract';
import { contract as restoreValidation } from '../../lambda/restore-validation/contract';
import { defineContract, environmentProblems } from '../../lambda/shared/contract';
import { contract as tenantArchive } from '../../lambda/tenant-archive/contract';
import { contract as tenantCredentials } from '../../lambda/tenant-credentials/contract';
import { contract as tenantDeactivate } from '../../lambda/tenant-deactivate/contract';
import { contract as tenantPreToken } from '../../lambda/tenant-pre-token/contract';
import { contract as tenantPurge } from '../../lambda/tenant-purge/contract';
import { contract as tenantReactivate } from '../../lambda/tenant-reactivate/contract';
import { contract as tenantSettings } from '../../lambda/tenant-settings/contract';
import { contract as tenantStatus } from '../../lambda/tenant-status/contract';
import type { AnyContract } from '../../lib/constructs/core/platform-function';
import {
  CONTRACT_TAG,
  FACTORY_ENVIRONMENT,
  PLATFORM_RUNTIME,
} from '../../lib/constructs/core/platform-function';
import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';

/**
 * Every Lambda function of every template of the default platform, against its function's
 * contract: what the construct set (Environment.Variables) must parse with the contract that the
 * handler reads at init. A CDK token ({Ref}, {Fn::GetAtt}, {Fn::Join}, ...) counts as present; a
 * literal value must satisfy the schema; a variable the contract does not know is an error (a
 * misspelt name on the construct side). A function maps to its contract by the FunctionContract
 * tag that PlatformFunction writes.
 */

const CONTRACTS: readonly AnyContract[] = [
  dbBootstrap,
  lifecycleSweep,
  restoreValidation,
  tenantArchive,
  tenantCredentials,
  tenantDeactivate,
  tenantPreToken,
  tenantPurge,
  tenantReactivate,
  tenantSettings,
  tenantStatus,
];

/**
 * Functions that aws-cdk-lib adds itself: not built by PlatformFunction, no contract. Each is
 * listed by its construct path and must still occur (a stale entry fails the test).
 */
const NOT_OURS: readonly { readonly path: RegExp; readonly what: string }[] = [
  {
    path: /^[a-z]+-[a-z0-9]+-Network\/Custom::VpcRestrictDefaultSGCustomResourceProvider\/Handler$/,
    what: "ec2.Vpc's custom resource that removes the default security group's rules",
  },
  {
    path: /^[a-z]+-[a-z0-9]+-Network\/AWS679f53fac002430cb0da5b7982bd2287\/Resource$/,
    what: "custom-resources' AwsCustomResource singleton: the S3 and DynamoDB prefix-list lookups of the region (function groups, restore validation, services)",
  },
  {
    path: /^[a-z]+-[a-z0-9]+-Storage\/AWS679f53fac002430cb0da5b7982bd2287\/Resource$/,
    what: "custom-resources' AwsCustomResource singleton: the restore sentinel object's PutObject",
  },
  {
    path: /^[a-z]+-[a-z0-9]+-Backup\/AWS679f53fac002430cb0da5b7982bd2287\/Resource$/,
    what: "custom-resources' AwsCustomResource singleton: AWS Backup's region settings (opt-in, DynamoDB advanced features)",
  },
];

interface LambdaResource {
  readonly Type: string;
  readonly Properties: {
    readonly Runtime?: string;
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
    readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
  };
  readonly Metadata?: Record<string, unknown>;
}

interface Found {
  /** `<stack>/<logical id>` */
  readonly where: string;
  readonly path: string;
  readonly resource: LambdaResource;
}

function lambdaFunctions(): Found[] {
  const synth = synthesizeDefaultPlatform();
  if (!synth.succeeded) throw new Error(`cdk synth failed:\n${synth.output}`);
  return Object.entries(templates(synth.dir)).flatMap(([stack, template]) =>
    Object.entries((template.Resources ?? {}) as Record<string, LambdaResource>)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([id, resource]) => ({
        where: `${stack}/${id}`,
        path: String(resource.Metadata?.['aws:cdk:path'] ?? ''),
        resource,
      })),
  );
}

/** Every way `found`'s environment breaks its contract, one line each. */
function contractProblems(found: Found, contract: AnyContract): string[] {
  const variables = found.resource.Properties.Environment?.Variables ?? {};
  const shape = contract.schema.shape;
  const problems: string[] = [];
  const literal: Record<string, string> = {};
  const tokens = new Set<string>();
  for (const [name, value] of Object.entries(variables)) {
    const factory = (FACTORY_ENVIRONMENT as Record<string, string>)[name];
    if (factory !== undefined) {
      if (value !== factory)
        problems.push(
          `${name}: set by the factory to ${JSON.stringify(factory)}, got ${JSON.stringify(value)}`,
        );
      continue;
    }
    if (!(name in shape) || contract.runtime.includes(name)) {
      problems.push(`${name}: not in lambda/${contract.name}/contract.ts`);
    } else if (typeof value === 'string') {
      literal[name] = value;
    } else {
      tokens.add(name); // {Ref}, {Fn::GetAtt}, {Fn::Join}...: resolved at deployment, present
    }
  }
  for (const name of Object.keys(FACTORY_ENVIRONMENT)) {
    if (!(name in variables))
      problems.push(`${name}: missing (PlatformFunction sets it on every function)`);
  }
  const checked = Object.fromEntries(
    Object.entries(shape).filter(([name]) => !tokens.has(name) && !contract.runtime.includes(name)),
  );
  problems.push(...environmentProblems(defineContract(contract.name, checked), literal));
  return problems.map((problem) => `${found.where} (${contract.name}): ${problem}`);
}

const functions = lambdaFunctions();
const byName = new Map(CONTRACTS.map((contract) => [contract.name, contract]));

function contractOf(found: Found): string | undefined {
  return found.resource.Properties.Tags?.find((tag) => tag.Key === CONTRACT_TAG)?.Value;
}

test('every function of the platform has a contract, or is a listed CDK-internal function', () => {
  const unmapped = functions
    .filter((found) => contractOf(found) === undefined)
    .filter((found) => !NOT_OURS.some((entry) => entry.path.test(found.path)))
    .map((found) => `${found.where} (${found.path}): no ${CONTRACT_TAG} tag`);
  const unknown = functions
    .map((found) => ({ found, name: contractOf(found) }))
    .filter(({ name }) => name !== undefined && !byName.has(name))
    .map(({ found, name }) => `${found.where}: no contract named ${name}`);
  expect([...unmapped, ...unknown]).toEqual([]);
  for (const entry of NOT_OURS) {
    expect(functions.some((found) => entry.path.test(found.path))).toBe(true);
  }
});

test("every function's environment parses with its contract (tokens count as present)", () => {
  const problems = functions.flatMap((found) => {
    const contract = byName.get(contractOf(found) ?? '');
    return contract ? contractProblems(found, contract) : [];
  });
  expect(problems).toEqual([]);
});

test('every contract is in use, and every platform function runs the one pinned runtime', () => {
  const used = new Set(functions.map(contractOf));
  expect(CONTRACTS.map((contract) => contract.name).filter((name) => !used.has(name))).toEqual([]);
  const runtimes = new Set(
    functions.filter((found) => contractOf(found)).map((f) => f.resource.Properties.Runtime),
  );
  expect([...runtimes]).toEqual([PLATFORM_RUNTIME.name]);
});
