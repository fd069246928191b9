import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { RegistryGrant } from '../../../lib/constructs/lifecycle/registry-access';
import {
  grantRegistry,
  KEY_ENCRYPT_DECRYPT,
} from '../../../lib/constructs/lifecycle/registry-access';
import { bareStack } from '../../support/bare-stack';
import {
  AUDIT_ARN,
  lifecycleCommon,
  REGISTRY_ARN,
  REGISTRY_KEY_ARN,
} from '../../support/lifecycle-common';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function statements(grant: RegistryGrant): Json[] {
  const stack = bareStack();
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  grantRegistry(role, lifecycleCommon(stack).registry, grant);
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
    (p: Json) => p.Properties.PolicyDocument.Statement,
  );
}

const actionsOn = (all: Json[], resource: string) =>
  all
    .filter((s) => [s.Resource].flat().includes(resource))
    .flatMap((s) => [s.Action].flat())
    .sort();

test('read: GetItem on the registry and decrypt, nothing else', () => {
  const all = statements({ read: true });
  expect(actionsOn(all, REGISTRY_ARN)).toEqual(['dynamodb:GetItem']);
  expect(actionsOn(all, REGISTRY_KEY_ARN)).toEqual(['kms:Decrypt']);
  expect(all).toHaveLength(2);
});

test('transition: UpdateItem on the registry, PutItem on the audit table, encrypt and decrypt', () => {
  const all = statements({ read: true, transition: true });
  expect(actionsOn(all, REGISTRY_ARN)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  expect(actionsOn(all, AUDIT_ARN)).toEqual(['dynamodb:PutItem']);
  expect(actionsOn(all, REGISTRY_KEY_ARN)).toEqual([...KEY_ENCRYPT_DECRYPT].sort());
});

test('queryDue: Query on the state-due index only, never the table', () => {
  const all = statements({ queryDue: true });
  expect(actionsOn(all, `${REGISTRY_ARN}/index/state-due`)).toEqual(['dynamodb:Query']);
  expect(actionsOn(all, REGISTRY_ARN)).toEqual([]);
});

test('no Scan, no DeleteItem, no wildcard action in any grant', () => {
  const actions = statements({ read: true, transition: true, queryDue: true }).flatMap((s) =>
    [s.Action].flat(),
  );
  expect(actions).not.toContain('dynamodb:Scan');
  expect(actions).not.toContain('dynamodb:DeleteItem');
  for (const action of actions) expect(action).not.toMatch(/\*/);
});
