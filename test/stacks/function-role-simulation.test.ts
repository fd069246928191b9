import type { Decision, Json, Physical } from '../support/iam-simulation';
import { decideAndRecord, resolve } from '../support/iam-simulation';
import { stackJson } from '../support/default-platform';

/**
 * Least privilege per function (issue 12, item 6), decided by the IAM policy simulator on the
 * synthesized production Lifecycle policies: each function writes logs only to its own log group
 * (not to another function's, not to the CloudTrail group the sign-in alarms read), and uses the
 * registry key only through DynamoDB (kms:ViaService), not by calling KMS itself.
 */
const STACK = 'prod-apse2-Lifecycle';
const ACCOUNT = '333333333333'; // the production account of the default config
const REGION = 'ap-southeast-2';

interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
}
const templateResources = (id: string) =>
  (stackJson(id) as { Resources: Record<string, Resource> }).Resources;
const resources = templateResources(STACK);

const logGroupArn = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
const keyArn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
/** Concrete ARNs for every resource of a template. */
const physicalOf = (of: Record<string, Resource>): Physical =>
  Object.fromEntries(
    Object.entries(of).map(([id, r]) => [
      id,
      {
        ref: id,
        attributes: {
          Arn:
            r.Type === 'AWS::Logs::LogGroup'
              ? logGroupArn(id)
              : r.Type === 'AWS::KMS::Key'
                ? keyArn(id)
                : `arn:aws:${r.Type.split('::')[1]!.toLowerCase()}:${REGION}:${ACCOUNT}:${id}`,
        },
      },
    ]),
  );
const physical = physicalOf(resources);
/** A cross-stack output (the Security stack's keys) as the key it names. */
const withOutputs = (value: Json): Json => {
  if (Array.isArray(value)) return value.map(withOutputs);
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, Json>;
  if ('Fn::GetStackOutput' in node) {
    return keyArn((node['Fn::GetStackOutput'] as { OutputName: string }).OutputName);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withOutputs(v)]));
};
const concrete = (value: Json) =>
  resolve(withOutputs(value), physical, { account: ACCOUNT, region: REGION });

const REGISTRY_KEY = keyArn('PublishOutputFnGetAttDatabaseKey7998E78FArnA3520947');
/** The registry key's own policy (the Security stack's database key): KMS decides with it too. */
const security = templateResources('prod-apse2-Security');
const REGISTRY_KEY_POLICY = resolve(
  security.DatabaseKey7998E78F!.Properties!.KeyPolicy,
  physicalOf(security),
  {
    account: ACCOUNT,
    region: REGION,
  },
);
const TRAIL_LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/logi-prod:log-stream:forged`;

const functions = Object.entries(resources)
  .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
  .map(([id, r]) => {
    const props = r.Properties as {
      Role: { 'Fn::GetAtt': [string, string] };
      LoggingConfig?: { LogGroup?: { Ref: string } };
    };
    const role = props.Role['Fn::GetAtt'][0];
    const policies = Object.entries(resources)
      .filter(
        ([, p]) =>
          p.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: role }]),
      )
      .map(([name, p]) => ({ name, policy: concrete(p.Properties!.PolicyDocument) }));
    const roleProps = resources[role]!.Properties as { ManagedPolicyArns?: Json[] };
    return { id, role, logGroup: props.LoggingConfig?.LogGroup?.Ref, policies, roleProps };
  });

const decide = (
  fn: (typeof functions)[number],
  request: { action: string; resource: string; context?: Record<string, string> },
  expected: Decision,
) =>
  decideAndRecord(
    'function-roles',
    fn.id,
    {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${fn.role}/session`,
      action: request.action,
      resource: request.resource,
      resourceAccount: ACCOUNT,
      identityPolicies: fn.policies,
      resourcePolicy: request.resource === REGISTRY_KEY ? REGISTRY_KEY_POLICY : undefined,
      context: request.context,
    },
    expected,
  );

test('the Lifecycle stack has its seven functions, each with its own log group and no managed policy', () => {
  expect(functions).toHaveLength(7);
  for (const fn of functions) {
    expect(fn.logGroup).toBeDefined();
    expect(fn.roleProps.ManagedPolicyArns ?? []).toEqual([]);
  }
});

describe.each(functions.map((fn) => [fn.id, fn] as const))('%s', (_id, fn) => {
  const own = `${logGroupArn(fn.logGroup!).replace(/:\*$/, '')}:log-stream:2026/12/02/[$LATEST]abc`;
  const other = functions.find((f) => f.logGroup !== fn.logGroup)!;
  const others = `${logGroupArn(other.logGroup!).replace(/:\*$/, '')}:log-stream:forged`;

  it('writes log events to its own log group', async () => {
    expect(await decide(fn, { action: 'logs:PutLogEvents', resource: own }, 'Allowed')).toBe(
      'Allowed',
    );
  });

  it("cannot write to another function's log group or to the CloudTrail group", async () => {
    for (const resource of [others, TRAIL_LOG_GROUP]) {
      expect(await decide(fn, { action: 'logs:PutLogEvents', resource }, 'ImplicitlyDenied')).toBe(
        'ImplicitlyDenied',
      );
    }
  });

  it('cannot use the registry key by calling KMS directly, nor through another service', async () => {
    for (const context of [{}, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }] as Record<
      string,
      string
    >[]) {
      expect(
        await decide(
          fn,
          { action: 'kms:Decrypt', resource: REGISTRY_KEY, context },
          'ImplicitlyDenied',
        ),
      ).toBe('ImplicitlyDenied');
    }
  });
});

test('the functions that read the registry use its key through DynamoDB', async () => {
  const users = functions.filter((fn) => JSON.stringify(fn.policies).includes(REGISTRY_KEY));
  expect(users.length).toBeGreaterThanOrEqual(5);
  for (const fn of users) {
    const context = { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` };
    expect(
      await decide(fn, { action: 'kms:Decrypt', resource: REGISTRY_KEY, context }, 'Allowed'),
    ).toBe('Allowed');
  }
});
