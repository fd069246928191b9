import { snapshotTests } from '../support/stack-snapshots';
import { environmentRegions, loadConfig } from '../../lib/config';
import { ownsRegistrySettings } from '../../lib/stacks/compute-stack';
import { stackDependencies, stackTemplate } from '../support/default-platform';
import { readConfig, VARIABLES } from '../../services/documents/src/config';
import { TRACING_VARIABLES, tracingSettings } from '../../services/documents/src/tracing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Production's two regions in the shared synth of the default platform. */
const REGIONS = {
  primary: { prefix: 'prod-apse2', region: 'ap-southeast-2' },
  secondary: { prefix: 'prod-apse4', region: 'ap-southeast-4' },
} as const;
type Role = keyof typeof REGIONS;
const COMPONENTS = ['Security', 'Network', 'Data', 'Storage', 'Backup', 'Lifecycle', 'Ingress'];
const compute = (role: Role) => stackTemplate(`${REGIONS[role].prefix}-Compute`);
const region = (role: Role) => ({ target: { envName: 'prod', region: REGIONS[role].region } });

test('every region of the environment has its Compute stack, tagged', () => {
  for (const role of ['primary', 'secondary'] as const) {
    const cluster = Object.values(compute(role).findResources('AWS::ECS::Cluster'))[0] as Json;
    expect(cluster.Properties.Tags).toEqual(
      expect.arrayContaining([{ Key: 'Environment', Value: 'prod' }]),
    );
  }
});

test('Compute comes after the Network, Ingress and Data stacks it refers to', () => {
  for (const { prefix } of Object.values(REGIONS)) {
    expect(stackDependencies(`${prefix}-Compute`)).toEqual(
      expect.arrayContaining([`${prefix}-Network`, `${prefix}-Ingress`, `${prefix}-Data`]),
    );
    // Nothing of the region depends on Compute (no reference cycle back from the load balancer),
    // except the Monitoring stack, which shows every stack's alarms and so deploys last.
    for (const component of COMPONENTS) {
      expect(stackDependencies(`${prefix}-${component}`)).not.toContain(`${prefix}-Compute`);
    }
    expect(stackDependencies(`${prefix}-Monitoring`)).toContain(`${prefix}-Compute`);
  }
});

test('production runs the documents service with a task per AZ, behind the public listener', () => {
  const template = compute('primary');
  template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
    MinCapacity: 3,
    MaxCapacity: 12,
  });
  const rule = Object.values(
    template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'),
  )[0] as Json;
  expect(JSON.stringify(rule.Properties.ListenerArn)).toContain('prod-apse2-Ingress');
});

/** A value for a CloudFormation token that satisfies the variable's own check. */
const PLACEHOLDER: Record<string, string> = {
  TOKEN_ISSUER: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_Pool',
  TOKEN_CLIENT_IDS: 'client1',
  DB_HOST: 'cluster.example.rds.amazonaws.com',
  TENANT_CREDENTIALS_FUNCTION: 'prod-apse2-Storage-TenantSessionVending1A2B3C-abc',
};

test.each(['primary', 'secondary'] as const)(
  'the %s region configures the documents service with every variable it requires',
  (role) => {
    const template = compute(role);
    const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    const [container] = (taskDefinition as Json).Properties.ContainerDefinitions;
    const env: Record<string, string> = Object.fromEntries(
      container.Environment.map((e: Json) => [
        e.Name,
        typeof e.Value === 'string' ? e.Value : PLACEHOLDER[e.Name],
      ]),
    );
    const known = [...Object.keys(VARIABLES), ...Object.keys(TRACING_VARIABLES)];
    for (const name of Object.keys(env)) expect(known).toContain(name);
    // Tracing on, to the task's collector sidecar.
    expect(tracingSettings(env)).toMatchObject({
      endpoint: 'http://127.0.0.1:4318',
      serviceName: 'documents',
    });
    // The image sets DB_CA_FILE (its baked RDS bundle), PORT and the TLS files.
    const config = readConfig({ ...env, DB_CA_FILE: '/app/rds-ca.pem' });
    expect(config.database).toMatchObject({ name: 'postgres', user: 'app_user' });
    expect(config.files.region).toBe(region(role).target.region);
    expect(config.registry.table).toBe('logi-prod-tenants');
    expect(JSON.stringify(container.Environment)).toContain(
      `${region(role).target.envName}-${role === 'primary' ? 'apse2' : 'apse4'}-Security`,
    );
  },
);

test('the documents task role: one registry item, its database user, scan tags, invoking the vending function', () => {
  const template = compute('primary');
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p as Json).Properties.Roles).includes('DocumentsTaskRole'))
    .flatMap((p) => (p as Json).Properties.PolicyDocument.Statement as Json[]);
  const bySid = Object.fromEntries(statements.map((st) => [st.Sid ?? st.Action, st]));
  expect(bySid.RegistryRead.Action).toBe('dynamodb:GetItem');
  expect(JSON.stringify(bySid.DatabaseConnect.Resource)).toContain(':dbuser:');
  expect(JSON.stringify(bySid.DatabaseConnect.Resource)).toContain('/app_user');
  expect(bySid.ScanTags).toMatchObject({
    Action: 's3:GetObjectTagging',
    Resource: 'arn:aws:s3:::logi-prod-ap-southeast-2-files/tenants/*',
  });
  // Tenant sessions come from the vending function only: invoke that one function, assume nothing.
  expect(bySid.TenantCredentials.Action).toBe('lambda:InvokeFunction');
  expect(JSON.stringify(bySid.TenantCredentials.Resource)).toContain('prod-apse2-Storage');
  expect(JSON.stringify(bySid.TenantCredentials.Resource)).toContain('TenantSessionVending');
  // The trace collector's statement (its own policy): the two X-Ray writes, which have no
  // resource-level permissions, and nothing else.
  const isTraceWrite = (st: Json) =>
    JSON.stringify([st.Action].flat().sort()) ===
    JSON.stringify(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  expect(statements.filter(isTraceWrite)).toHaveLength(1);
  const actions = statements.filter((st) => !isTraceWrite(st)).flatMap((st) => [st.Action].flat());
  expect(actions.filter((a: string) => a.startsWith('sts:'))).toEqual([]);
  expect(actions.filter((a: string) => a.includes('*') || /Put|Delete/.test(a))).toEqual([]);
});

test('the database and the load balancer rules are created in the Compute stack', () => {
  const template = compute('secondary');
  const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) =>
    JSON.stringify((r as Json).Properties.GroupId),
  );
  expect(ingress.some((g) => g.includes('prod-apse4-Data'))).toBe(true);
  const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) =>
    JSON.stringify((r as Json).Properties.GroupId),
  );
  expect(egress.some((g) => g.includes('prod-apse4-Ingress'))).toBe(true);
});

test("the documents tasks reach the DynamoDB and S3 gateways by the Network stack's prefix lists", () => {
  const template = compute('primary');
  const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
    .map((r) => (r as Json).Properties)
    .filter((p) => JSON.stringify(p.GroupId).includes('DocumentsSecurityGroup'));
  const byDescription = Object.fromEntries(
    egress.map((p) => [p.Description, JSON.stringify(p.DestinationPrefixListId)]),
  );
  expect(byDescription['HTTPS to the DynamoDB gateway endpoint']).toContain(
    'GatewayPrefixListsDynamoDb',
  );
  expect(byDescription['HTTPS to the S3 gateway endpoint']).toContain('GatewayPrefixListsS3');
  // Looked up once per region, in the Network stack: no lookup (nor its log group) here.
  expect(
    Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) =>
      id.includes('PrefixList'),
    ),
  ).toHaveLength(0);
  expect(template.findResources('Custom::AWS')).toEqual({});
});

test('image scanning is registry-wide, enhanced and continuous', () => {
  compute('primary').hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
    ScanType: 'ENHANCED',
    Rules: [
      {
        ScanFrequency: 'CONTINUOUS_SCAN',
        RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }],
      },
    ],
  });
});

test('registry scanning is created once per account and region, by its first environment', () => {
  const config = loadConfig();
  const shared = structuredClone(config);
  shared.environments.test.account = shared.environments.dev.account;
  const owners = environmentRegions(shared)
    .filter((t) => ownsRegistrySettings(shared, t))
    .map((t) => `${t.envName}/${t.region}`);
  // dev and test share 111111111111 in ap-southeast-2: only dev owns it there.
  expect(owners).toEqual([
    'dev/ap-southeast-2',
    'test/ap-southeast-4',
    'prod/ap-southeast-2',
    'prod/ap-southeast-4',
  ]);
  expect(environmentRegions(config).every((t) => ownsRegistrySettings(config, t))).toBe(true);
});

snapshotTests('Compute');
