import type { StackProps } from 'aws-cdk-lib';
import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentRegion, PlatformConfig } from '../config';
import { regionShort, ResourceNames } from '../config';
import { PlatformKey } from '../constructs/core/platform-key';

export interface PlatformStackProps extends StackProps {
  /** The validated platform config. */
  readonly config: PlatformConfig;
  /** The environment and region this stack belongs to. */
  readonly target: EnvironmentRegion;
}

/** Stack id `<env>-<regionShort>-<Component>`, e.g. `prod-apse2-Network`. */
export function stackId(target: EnvironmentRegion, component: string): string {
  return `${target.envName}-${regionShort(target.region)}-${component}`;
}

/**
 * Base of every platform stack: pinned to its environment's account and region, termination
 * protection in production, and the deterministic names of its environment and region.
 */
export abstract class PlatformStack extends Stack {
  readonly config: PlatformConfig;
  readonly target: EnvironmentRegion;
  readonly names: ResourceNames;
  readonly component: string;
  private stackLogsKey?: PlatformKey;

  protected constructor(scope: Construct, component: string, props: PlatformStackProps) {
    super(scope, stackId(props.target, component), {
      ...props,
      env: { account: props.target.env.account, region: props.target.region },
      terminationProtection: props.target.env.production,
    });
    this.config = props.config;
    this.target = props.target;
    this.names = new ResourceNames(props.config.app, props.target.envName, props.target.region);
    this.component = component;
  }

  /**
   * The CloudFormation execution role of the CDK bootstrap
   * (`cdk-hnb659fds-cfn-exec-role-<account>-<region>`), which deploys this stack; undefined with
   * another synthesizer. Protections that must still let a reviewed deployment update them exempt
   * it by this ARN.
   */
  get deploymentRoleArn(): string | undefined {
    const synthesizer = this.synthesizer;
    if (!(synthesizer instanceof DefaultStackSynthesizer)) return undefined;
    return synthesizer.cloudFormationExecutionRoleArn.replace('${AWS::Partition}', this.partition);
  }

  /**
   * The key of this stack's log groups, created on first use: alias
   * `<app>-<env>-<region>-logs-<component>`. One per stack, so that every log group refers to its
   * key within its own template (a key imported from another stack is invisible to template
   * checks) and a key's policy covers only one component's logs.
   */
  get logsKey(): PlatformKey {
    this.stackLogsKey ??= (() => {
      const key = new PlatformKey(this, 'LogsKey', {
        alias: this.names.keyAlias(`logs-${this.component.toLowerCase()}`),
        description: `Encrypts the ${this.component} log groups of ${this.target.envName} in ${this.target.region}`,
      });
      key.grantCloudWatchLogs();
      return key;
    })();
    return this.stackLogsKey;
  }
}
