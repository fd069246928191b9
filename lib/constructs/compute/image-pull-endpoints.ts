import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ownAccountOnlyEndpointStatement } from '../core/endpoint-policy';

export interface ImagePullEndpointsProps {
  /** The VPC of the services. */
  readonly vpc: ec2.IVpc;
  /** The compute subnets the services (and so the endpoints) are in. */
  readonly subnets: ec2.SubnetSelection;
  /** The VPC's IPv4 range: the only source the endpoints admit. */
  readonly vpcCidr: string;
}

/**
 * What a Fargate task needs to pull its image without the internet, besides the S3 gateway endpoint
 * its layers come through (named by the Network stack's `GatewayPrefixLists`): interface endpoints
 * for the ECR API and the Docker registry, in their own security group, each with a policy that
 * admits only principals of this account (`ownAccountOnlyEndpointStatement`, as the Network
 * stack's endpoints: docs/network.md).
 */
export class ImagePullEndpoints extends Construct {
  /** Security group of the ECR interface endpoints: services send HTTPS to it. */
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ImagePullEndpointsProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'HTTPS from inside the VPC to the ECR interface endpoints',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.ipv4(props.vpcCidr),
      ec2.Port.tcp(443),
      'HTTPS from the VPC',
    );
    const services = {
      EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
    };
    const ownAccountOnly = ownAccountOnlyEndpointStatement(this);
    for (const [endpointId, service] of Object.entries(services)) {
      const endpoint = new ec2.InterfaceVpcEndpoint(this, endpointId, {
        vpc: props.vpc,
        service,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [this.securityGroup],
        subnets: props.subnets,
      });
      endpoint.addToPolicy(ownAccountOnly);
    }
  }
}
