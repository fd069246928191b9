import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionFamily } from '../constructs/network/function-groups';
import { FunctionGroups } from '../constructs/network/function-groups';
import type { GatewayService } from '../constructs/network/gateway-prefix-lists';
import { GatewayPrefixLists } from '../constructs/network/gateway-prefix-lists';
import { PlatformNetwork } from '../constructs/network/platform-network';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';

/**
 * The environment's VPC in one region, and the named security groups that other stacks admit:
 * the application's services and one group per family of the platform's own Lambdas.
 */
export class NetworkStack extends PlatformStack {
  readonly network: PlatformNetwork;
  /** Application services (containers, functions) that may reach the database. */
  readonly applicationSecurityGroup: ec2.SecurityGroup;
  /**
   * The group of each family of the platform's Lambdas in the VPC (`functionFamilies`): egress
   * only to the endpoints, the gateway prefix lists and, for database families, the database.
   */
  readonly functionGroups: Readonly<Record<FunctionFamily, ec2.SecurityGroup>>;
  /** The family groups the database admits (and only these, besides the application group). */
  readonly databaseClientGroups: readonly ec2.SecurityGroup[];
  /** Prefix-list ids of the S3 and DynamoDB gateway endpoints (deploy-time tokens). */
  readonly gatewayPrefixLists: Readonly<Record<GatewayService, string>>;

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
    this.gatewayPrefixLists = new GatewayPrefixLists(this, 'GatewayPrefixLists', {
      logsKey: this.logsKey.key,
      logRetention: target.env.logRetentionDays as logs.RetentionDays,
    }).ids;
    const functionGroups = new FunctionGroups(this, 'FunctionGroups', {
      vpc,
      endpointSecurityGroup: this.network.endpointSecurityGroup,
      prefixLists: this.gatewayPrefixLists,
      peerRegion: target.peerRegion,
    });
    this.functionGroups = functionGroups.groups;
    this.databaseClientGroups = functionGroups.databaseClients;
  }
}
