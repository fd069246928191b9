import type { StackProps, App } from 'aws-cdk-lib';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { testApp } from '../../../support/app';

export const PROD_ACCOUNT = '333333333333';
export const PRIMARY = 'ap-southeast-2';
export const SECONDARY = 'ap-southeast-4';

export const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

/** A stack in the prod account and primary region of a fresh test app. */
export function newStack(
  props: StackProps & { readonly app?: App; readonly id?: string } = {},
): Stack {
  const app = props.app ?? testApp();
  return new Stack(app, props.id ?? 'Fixture', {
    env: { account: PROD_ACCOUNT, region: PRIMARY },
    ...props,
  });
}

/** A raw CloudFormation resource: the rules read the rendered template, so this is enough. */
export function cfn(
  stack: Stack,
  id: string,
  type: string,
  properties: Record<string, unknown> = {},
): CfnResource {
  return new CfnResource(stack, id, { type, properties });
}

/** `{ Ref }` of a resource, as a property value. */
export function ref(resource: CfnResource): string {
  return resource.ref;
}
