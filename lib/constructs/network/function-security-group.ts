import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { GatewayService } from './gateway-prefix-lists';

/** Where the functions of one family may send traffic: nothing else leaves them. */
export interface FunctionReach {
  /** What the family's functions are (the group's description). */
  readonly description: string;
  /**
   * AWS APIs the family calls through the VPC's interface endpoints (HTTPS to their security
   * group); empty when it calls none.
   */
  readonly interfaceApis: readonly string[];
  /** Gateway endpoints it uses (HTTPS to their prefix lists). */
  readonly gatewayApis: readonly GatewayService[];
  /**
   * Why the family needs HTTPS to public addresses through the NAT gateway (an API without a
   * usable VPC endpoint). @default none: no public address is reachable
   */
  readonly publicHttps?: string;
  /**
   * Whether the family talks to the database. The rule itself is added where the database is
   * (it admits the group and the group's egress to it lands in the database's stack).
   */
  readonly database: boolean;
}

export interface FunctionSecurityGroupProps {
  readonly vpc: ec2.IVpc;
  /** The family's reach. */
  readonly reach: FunctionReach;
  /** Security group of the VPC's interface endpoints. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** Prefix-list ids of the gateway endpoints. */
  readonly prefixLists: Readonly<Record<GatewayService, string>>;
}

const GATEWAY_NAMES: Record<GatewayService, string> = { s3: 'S3', dynamodb: 'DynamoDB' };

/**
 * The security group of one function family: no ingress, and egress only HTTPS to the interface
 * endpoints' group (when the family calls an interface-endpoint API), HTTPS to the prefix lists of
 * the gateway endpoints it uses, and HTTPS to public addresses only when `publicHttps` says why.
 */
export class FunctionSecurityGroup extends ec2.SecurityGroup {
  readonly reach: FunctionReach;

  constructor(scope: Construct, id: string, props: FunctionSecurityGroupProps) {
    super(scope, id, {
      vpc: props.vpc,
      description: props.reach.description,
      allowAllOutbound: false,
    });
    const { reach } = props;
    this.reach = reach;
    const https = ec2.Port.tcp(443);
    if (reach.interfaceApis.length > 0) {
      this.addEgressRule(
        props.endpointSecurityGroup,
        https,
        `HTTPS to the interface endpoints (${reach.interfaceApis.join(', ')})`,
      );
    }
    for (const service of reach.gatewayApis) {
      this.addEgressRule(
        ec2.Peer.prefixList(props.prefixLists[service]),
        https,
        `HTTPS to the ${GATEWAY_NAMES[service]} gateway endpoint`,
      );
    }
    if (reach.publicHttps) {
      this.addEgressRule(
        ec2.Peer.anyIpv4(),
        https,
        `HTTPS through the NAT gateway: ${reach.publicHttps}`,
      );
    }
  }
}
