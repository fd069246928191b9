import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { GatewayPrefixLists } from '../../../lib/constructs/network/gateway-prefix-lists';
import { bareStack, TEST_REGION } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const stack = bareStack();
const lists = new GatewayPrefixLists(stack, 'GatewayPrefixLists', {
  logsKey: new kms.Key(stack, 'LogsKey'),
  logRetention: logs.RetentionDays.ONE_YEAR,
});
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;
const lookups = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::AWS');

test.each(['s3', 'dynamodb'] as const)(
  '%s: read at deployment by the managed prefix list of this region, and exposed as its id',
  (service) => {
    const match = lookups.find(([, r]) =>
      JSON.stringify(r.Properties.Create).includes(`com.amazonaws.${TEST_REGION}.${service}\\"`),
    );
    expect(match).toBeDefined();
    const [id, lookup] = match!;
    expect(JSON.stringify(lookup.Properties.Create)).toContain('describeManagedPrefixLists');
    expect(stack.resolve(lists.ids[service])).toEqual({
      'Fn::GetAtt': [id, 'PrefixLists.0.PrefixListId'],
    });
  },
);

test('the lookup role may only describe managed prefix lists', () => {
  const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy');
  const actions = policies.flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Json[]).flatMap((s) => [s.Action].flat()),
  );
  expect([...new Set(actions)]).toEqual(['ec2:DescribeManagedPrefixLists']);
});
