import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { grantTenantStateRead } from '../../../lib/constructs/core/tenant-state-read';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function statements(): Json[] {
  const stack = bareStack();
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  grantTenantStateRead(role, 'logi-prod-tenants', new kms.Key(stack, 'RegistryKey'));
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
    (p: Json) => p.Properties.PolicyDocument.Statement,
  );
}

test('GetItem on the registry table named, nothing else of DynamoDB', () => {
  const dynamo = statements().filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
  expect(dynamo).toEqual([
    {
      Sid: 'ReadTenantState',
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: 'arn:aws:dynamodb:ap-southeast-2:333333333333:table/logi-prod-tenants',
    },
  ]);
});

test('decrypts with the registry key only, and only through DynamoDB of this region', () => {
  const kmsStatements = statements().filter((s) => JSON.stringify(s.Action).includes('kms:'));
  expect(kmsStatements).toEqual([
    {
      Sid: 'DecryptRegistry',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RegistryKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.ap-southeast-2.amazonaws.com' } },
    },
  ]);
});
