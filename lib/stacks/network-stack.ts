import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PlatformNetwork } from '../constructs/network/platform-network';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';

/**
 * The environment's VPC in one region, and the named security groups that other stacks admit:
 * the application's services and the platform's own Lambdas.
 */
export class NetworkStack extends PlatformStack {
  readonly network: PlatformNetwork;
  /** Application services (containers, functions) that may reach the database. */
  readonly applicationSecurityGroup: ec2.SecurityGroup;
  /** The platform's own Lambdas in the VPC (bootstrap, lifecycle workers, restore validation). */
  readonly platformFunctionsSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'Network', {
      ...props,
      description: `Network of ${props.target.envName} in ${props.target.region}: VPC, subnets, endpoints, flow logs`,
    });
    const { target, names } = this;
    this.network = new PlatformNetwork(this, 'Network', {
      cidr: target.network.vpcCidr,
      availabilityZones: target.availabilityZones,
      natGateways: target.env.natGateways,
      logsKey: this.logsKey.key,
      flowLogRetention: target.env.flowLogRetentionDays as logs.RetentionDays,
      flowLogGroupName: `/${names.physical('vpc-flow-logs')}`,
    });
    const vpc = this.network.vpc;
    this.applicationSecurityGroup = new ec2.SecurityGroup(this, 'ApplicationSecurityGroup', {
      vpc,
      description: 'Application services of the platform',
      allowAllOutbound: true,
    });
    this.platformFunctionsSecurityGroup = new ec2.SecurityGroup(
      this,
      'PlatformFunctionsSecurityGroup',
      {
        vpc,
        description: 'Lambdas of the platform itself, in the VPC',
        allowAllOutbound: true,
      },
    );
  }
}
