import { APIS_WITHOUT_PRIVATE_ENDPOINT } from '../../lib/constructs/network/function-groups';
import { CONTRACT_TAG } from '../../lib/constructs/core/platform-function';
import { stackEnvironments, synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';
import { handlerReach } from '../support/handler-imports';
import type { EgressRule, ResourceKey } from '../support/template-network';
import { ruleCovers, TemplateNetwork } from '../support/template-network';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The network perimeter of every Lambda in a VPC, over the synthesized default platform: what its
 * security groups let out, whether it reaches the database, and whether every AWS API its
 * handler's imports call has a VPC endpoint in its region. What a function needs is read from its
 * handler's import graph (test/support/handler-imports.ts), never from a hand-written list.
 */
const synth = synthesizeDefaultPlatform();
if (!synth.succeeded) throw new Error(`the default platform did not synthesize:\n${synth.output}`);
const all = templates(synth.dir) as Record<string, Json>;
const net = new TemplateNetwork(all);

interface VpcFunction {
  readonly key: ResourceKey;
  readonly stack: string;
  readonly groups: ResourceKey[];
  /** The handler folder (`lambda/<name>`), or none for a function the platform does not write. */
  readonly handler?: string;
  readonly services: readonly string[];
  readonly usesDatabase: boolean;
  /** Other regions its settings name (an API there is reached over its public endpoint). */
  readonly otherRegions: readonly string[];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const environments = stackEnvironments(synth.dir);
const regionOf = (stack: string) => environments[stack]?.region;

const tagOf = (r: Json, key: string) =>
  ((r.Properties.Tags ?? []) as Json[]).find((t) => t.Key === key)?.Value as string | undefined;

const functions: VpcFunction[] = [
  ...net
    .ofType('AWS::Lambda::Function')
    .filter(([, r]) => r.Properties.VpcConfig)
    .map(([key, r, stack]) => {
      const handler = tagOf(r, CONTRACT_TAG);
      if (!handler) throw new Error(`${key}: a function in the VPC without a contract tag`);
      const reach = handlerReach(handler);
      const variables = (r.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      return {
        key,
        stack,
        groups: net.refsIn(stack, r.Properties.VpcConfig.SecurityGroupIds),
        handler,
        services: reach.services,
        // A bundle may carry database code it never runs (shared modules): the function talks to
        // PostgreSQL when its handler imports a driver and its contract names a database.
        usesDatabase: reach.usesDatabase && 'DB_NAME' in variables,
        otherRegions: Object.values(variables).filter(
          (v): v is string => typeof v === 'string' && REGION.test(v) && v !== regionOf(stack),
        ),
      };
    }),
  // Secrets Manager's hosted rotation of the database master secret: the service writes its code;
  // it rotates the password in the database and reads and writes the secret.
  ...net.ofType('AWS::SecretsManager::RotationSchedule').flatMap(([key, r, stack]) => {
    const hosted = r.Properties.HostedRotationLambda;
    if (!hosted?.VpcSecurityGroupIds) return [];
    return [
      {
        key,
        stack,
        groups: net.refsIn(stack, hosted.VpcSecurityGroupIds),
        services: ['secretsmanager'],
        usesDatabase: true,
        otherRegions: [],
      },
    ];
  }),
];

const endpointGroups = new Set(
  net
    .ofType('AWS::EC2::VPCEndpoint')
    .flatMap(([, r, stack]) => net.refsIn(stack, r.Properties.SecurityGroupIds ?? [])),
);
const prefixListLookups = new Set(
  net
    .ofType('Custom::AWS')
    .filter(([, r]) =>
      JSON.stringify(r.Properties.Create ?? '').includes('describeManagedPrefixLists'),
    )
    .map(([key]) => key),
);
/** The live clusters' groups, and the restored test clusters' group (restore-testing overrides). */
const databaseGroups = new Set([
  ...net
    .ofType('AWS::RDS::DBCluster')
    .flatMap(([, r, stack]) => net.refsIn(stack, r.Properties.VpcSecurityGroupIds)),
  ...net
    .ofType('AWS::Backup::RestoreTestingSelection')
    .flatMap(([, r, stack]) =>
      net.refsIn(stack, r.Properties.RestoreMetadataOverrides?.vpcsecuritygroupids ?? []),
    ),
]);

const label = (f: VpcFunction) => `${f.key} (${f.handler ?? 'hosted rotation'})`;
const publicServices = (f: VpcFunction) =>
  f.services.filter((s) => s in APIS_WITHOUT_PRIVATE_ENDPOINT);

/** What an egress rule lets out, or why it must not exist. */
function verdict(f: VpcFunction, rule: EgressRule): string | undefined {
  const https = rule.protocol === 'tcp' && rule.fromPort === 443 && rule.toPort === 443;
  if (rule.group && endpointGroups.has(rule.group) && https) return undefined;
  if (rule.prefixList && prefixListLookups.has(rule.prefixList) && https) return undefined;
  const postgres = rule.protocol === 'tcp' && rule.fromPort === 5432 && rule.toPort === 5432;
  if (rule.group && databaseGroups.has(rule.group) && postgres && f.usesDatabase) return undefined;
  const needsPublic = publicServices(f).length > 0 || f.otherRegions.length > 0;
  if (rule.cidr === '0.0.0.0/0' && https && needsPublic) return undefined;
  return JSON.stringify(rule);
}

test('the platform has VPC functions of every kind (the checks below have something to check)', () => {
  const handlers = new Set(functions.map((f) => f.handler ?? 'rotation'));
  for (const h of [
    'db-bootstrap',
    'lifecycle-sweep',
    'tenant-archive',
    'tenant-deactivate',
    'restore-validation',
    'rotation',
  ]) {
    expect(handlers).toContain(h);
  }
});

test.each(functions.map((f) => [label(f), f] as const))(
  '%s: egress only to the endpoints, the gateway prefix lists and (if it uses it) the database',
  (_, f) => {
    expect(f.groups.length).toBeGreaterThan(0);
    expect(f.groups.filter((g) => net.keepsDefaultEgress(g))).toEqual([]);
    const refused = f.groups.flatMap((g) =>
      net
        .egressOf(g)
        .map((rule) => verdict(f, rule))
        .filter((v): v is string => v !== undefined)
        .map((v) => `${g}: ${v}`),
    );
    expect(refused).toEqual([]);
  },
);

test.each(functions.map((f) => [label(f), f] as const))(
  '%s: reaches the database port if and only if its handler talks to PostgreSQL',
  (_, f) => {
    const reaches = [...databaseGroups].some((db) =>
      f.groups.some(
        (g) =>
          net.admittedOn(db, 5432).includes(g) &&
          net
            .egressOf(g)
            .some((r) => ruleCovers(r, 5432) && (r.group === db || r.cidr === '0.0.0.0/0')),
      ),
    );
    expect({ function: f.key, reachesDatabase: reaches }).toEqual({
      function: f.key,
      reachesDatabase: f.usesDatabase,
    });
  },
);

test('the databases admit no group of a function that does not talk to PostgreSQL', () => {
  const wrong = [...databaseGroups].flatMap((db) =>
    net
      .admittedOn(db, 5432)
      .flatMap((g) => functions.filter((f) => f.groups.includes(g) && !f.usesDatabase))
      .map((f) => `${db} admits ${label(f)}`),
  );
  expect(wrong).toEqual([]);
});

test.each(functions.map((f) => [label(f), f] as const))(
  '%s: every AWS API its handler calls has a VPC endpoint in its region, or a stated public path',
  (_, f) => {
    const network = f.stack.replace(/-[A-Za-z]+$/, '-Network');
    const names = net
      .ofType('AWS::EC2::VPCEndpoint')
      .filter(([key]) => key.startsWith(`${network}/`))
      .map(([, r]) => JSON.stringify(r.Properties.ServiceName));
    const missing = f.services
      .filter((s) => !(s in APIS_WITHOUT_PRIVATE_ENDPOINT))
      .filter((s) => !names.some((n) => n.endsWith(`.${s}"`) || n.endsWith(`.${s}"]]}`)));
    expect({ function: f.key, withoutEndpoint: missing }).toEqual({
      function: f.key,
      withoutEndpoint: [],
    });
    // An API without a usable endpoint, or in another region, is reached over HTTPS through the
    // NAT gateway: the group must say so, and the region must have a NAT gateway.
    if (publicServices(f).length > 0 || f.otherRegions.length > 0) {
      const publicRules = f.groups.flatMap((g) =>
        net.egressOf(g).filter((r) => r.cidr === '0.0.0.0/0' && r.fromPort === 443),
      );
      expect(publicRules.map((r) => r.description)).toEqual([
        expect.stringMatching(/^HTTPS through the NAT gateway: /),
      ]);
      expect(
        net.ofType('AWS::EC2::NatGateway').some(([key]) => key.startsWith(`${network}/`)),
      ).toBe(true);
    }
  },
);
