import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TenantClaimTrigger } from '../../../lib/constructs/security/tenant-claim-trigger';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  new TenantClaimTrigger(stack, 'Claim', {
    registryTableName: 'logi-prod-tenants',
    registryKey: kms.Key.fromKeyArn(
      stack,
      'RegistryKey',
      'arn:aws:kms:ap-southeast-2:333333333333:key/registry',
    ),
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
  });
  return Template.fromStack(stack);
}

const template = build();

test('reads the registry table it is told, with bounded concurrency', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: Match.objectLike({ TABLE_NAME: 'logi-prod-tenants' }) },
    ReservedConcurrentExecutions: 20,
  });
});

test('its role: logs, GetItem on the registry and decrypt through DynamoDB, nothing else', () => {
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p: Json) => p.Properties.PolicyDocument.Statement,
  ) as Json[];
  const actions = statements
    .flatMap((s) => [s.Action].flat())
    .filter((a) => !/^(logs|xray):/.test(a)); // the function factory's own (its test)
  expect(actions.sort()).toEqual(['dynamodb:GetItem', 'kms:Decrypt']);
  expect(statements.find((s) => s.Action === 'kms:Decrypt')).toMatchObject({
    Resource: 'arn:aws:kms:ap-southeast-2:333333333333:key/registry',
    Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.ap-southeast-2.amazonaws.com' } },
  });
});

test("grants no one the right to invoke it: the tenant pool adds Cognito's permission", () => {
  template.resourceCountIs('AWS::Lambda::Permission', 0);
  template.resourceCountIs('AWS::Lambda::Url', 0);
});
