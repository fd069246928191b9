import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

/**
 * IAM decisions on synthesized templates by the policy simulator (@cloud-copilot/iam-simulate):
 * resolve a template's intrinsics to concrete ARNs, then ask the simulator. Every decision is
 * recorded; with IAM_SIMULATION_TABLE=1 the rows (principal, action, resource, expected, got) are
 * appended to `<tmpdir>/iam-simulation.tsv` for the closing note of a change.
 */
export type Json = unknown;
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, Json> }>;
}

/** Concrete values of a template's resources: `Ref` and `Fn::GetAtt` results by logical id. */
export type Physical = Record<string, { ref?: string; attributes?: Record<string, string> }>;

export interface Pseudo {
  readonly account: string;
  readonly region: string;
}

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub (without a map) and the pseudo parameters. */
export function resolve(value: Json, physical: Physical, pseudo: Pseudo): Json {
  const again = (v: Json) => resolve(v, physical, pseudo);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, Json>;
  const pseudoValues: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': pseudo.region,
    'AWS::AccountId': pseudo.account,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const ref = (name: string) => {
    const found = pseudoValues[name] ?? physical[name]?.ref;
    if (found === undefined) throw new Error(`cannot resolve Ref ${name}`);
    return found;
  };
  if ('Ref' in node) return ref(node.Ref as string);
  if ('Fn::GetAtt' in node) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    const found = physical[id]?.attributes?.[attribute];
    if (found === undefined) throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
    return found;
  }
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, Json[]];
    return parts.map((p) => again(p)).join(separator);
  }
  if ('Fn::Sub' in node && typeof node['Fn::Sub'] === 'string') {
    return (node['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
      const [id, attribute] = name.split('.');
      return attribute ? (again({ 'Fn::GetAtt': [id, attribute] }) as string) : ref(id);
    });
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, again(v)]));
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Request {
  /** ARN of the caller (role session or role). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  /** The caller's identity policies. */
  readonly identityPolicies: readonly { readonly name: string; readonly policy: Json }[];
  /** The resource's policy (bucket, key, vault, table). @default none */
  readonly resourcePolicy?: Json;
  readonly context?: Record<string, string | string[]>;
  /** Policies of the VPC endpoint the request goes through. @default none */
  readonly vpcEndpointPolicies?: readonly { readonly name: string; readonly policy: Json }[];
}

/** `arn:aws:sts::1:assumed-role/name/session` -> `arn:aws:iam::1:role/name` (aws:PrincipalArn). */
export function principalArn(principal: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : principal;
}

/** The decision of the simulator for one request (same account or across accounts). */
export async function decide(request: Request): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      // AWS sets these on every request; the simulator does not derive them.
      contextVariables: {
        'aws:ResourceAccount': request.resourceAccount,
        'aws:PrincipalAccount': request.principal.split(':')[4],
        'aws:PrincipalArn': principalArn(request.principal),
        ...request.context,
      },
    },
    identityPolicies: request.identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
    vpcEndpointPolicies: request.vpcEndpointPolicies?.map((p) => ({ ...p })),
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
  if (response.resultType !== 'single') throw new Error(`unexpected ${response.resultType} result`);
  if (!(response.result.ignoredContextKeys ?? []).length) {
    return response.overallResult as Decision;
  }
  // A key the simulator considers not applicable to the action (e.g. kms:ViaService on some
  // actions): the validated run checked policies, action and resource; decide with every key kept.
  return (await runUnsafeSimulation(simulation, {})) as Decision;
}

/** `decide`, recording the row for the simulation table. */
export async function decideAndRecord(
  suite: string,
  who: string,
  request: Request,
  expected: Decision,
): Promise<Decision> {
  const got = await decide(request);
  if (process.env.IAM_SIMULATION_TABLE) {
    const dir = join(tmpdir(), 'iam-simulation');
    mkdirSync(dir, { recursive: true });
    appendFileSync(
      join(dir, `${suite}.tsv`),
      `${who}\t${request.action}\t${request.resource}\t${expected}\t${got}\n`,
    );
  }
  return got;
}

/** An administrator (AdministratorAccess) of an account: what a stolen admin credential holds. */
export const ADMINISTRATOR_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
