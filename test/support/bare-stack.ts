import { Stack } from 'aws-cdk-lib';
import { testApp } from './app';

/** Account and region of the bare stacks construct tests build on (in cdk.json's context). */
export const TEST_ACCOUNT = '333333333333';
export const TEST_REGION = 'ap-southeast-2';

/**
 * An empty stack with an explicit account and region, in an App with cdk.json's context, for a
 * construct test: build the one construct under test on it and read `Template.fromStack`.
 */
export function bareStack(region = TEST_REGION, account = TEST_ACCOUNT): Stack {
  return new Stack(testApp(), 'Test', { env: { account, region } });
}
