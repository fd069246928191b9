import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PlatformKey } from '../constructs/platform-key';
import { PlatformNetwork } from '../constructs/platform-network';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';

/** The environment's VPC in one region, and the key that encrypts its logs. */
export class NetworkStack extends PlatformStack {
  readonly network: PlatformNetwork;
  readonly logsKey: PlatformKey;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'Network', {
      ...props,
      description: `Network of ${props.target.envName} in ${props.target.region}: VPC, subnets, endpoints, flow logs`,
    });
    const { target, names } = this;
    this.logsKey = new PlatformKey(this, 'LogsKey', {
      alias: names.keyAlias('logs'),
      description: `Encrypts CloudWatch log groups of ${target.envName} in ${target.region}`,
    });
    this.logsKey.grantCloudWatchLogs();
    this.network = new PlatformNetwork(this, 'Network', {
      cidr: target.network.vpcCidr,
      availabilityZones: target.availabilityZones,
      natGateways: target.env.natGateways,
      logsKey: this.logsKey.key,
      flowLogRetention: target.env.flowLogRetentionDays as logs.RetentionDays,
      flowLogGroupName: `/${names.physical('vpc-flow-logs')}`,
    });
  }
}
