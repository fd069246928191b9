import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppProps } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';

const CDK_JSON = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

/**
 * An App with the same context as `cdk synth` gets from cdk.json (feature flags, availability
 * zones, validation as errors), for in-process tests.
 */
export function testApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...CDK_JSON.context, ...props.context } });
}
