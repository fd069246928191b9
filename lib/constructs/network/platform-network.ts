import type { CfnElement } from 'aws-cdk-lib';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ownAccountOnlyEndpointStatement } from '../core/endpoint-policy';
import { SUBNET_GROUPS } from '../core/subnet-groups';
import { acknowledge } from '../../compliance/acknowledge';

export interface PlatformNetworkProps {
  /** The VPC's IPv4 range. */
  readonly cidr: string;
  /** Exactly the availability zones to span (three). */
  readonly availabilityZones: readonly string[];
  /** NAT gateways: one per AZ (survives an AZ outage) or a single one. */
  readonly natGateways: 'perAz' | 'single';
  /** Key that encrypts the flow-log group; it must allow CloudWatch Logs. */
  readonly logsKey: kms.IKey;
  /** Retention of the flow-log group. */
  readonly flowLogRetention: logs.RetentionDays;
  /** Name of the flow-log group. */
  readonly flowLogGroupName: string;
}

/** Interface endpoints that let private and isolated subnets reach AWS APIs without the internet. */
const INTERFACE_ENDPOINTS: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
  // Services invoke platform functions (the tenant token-vending function) without the internet.
  Lambda: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  // The lifecycle sweep sends jobs to its queues.
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  // Active tracing of every function in the VPC.
  Xray: ec2.InterfaceVpcEndpointAwsService.XRAY,
  // Restore validation reads the restored cluster and reports to AWS Backup.
  Backup: ec2.InterfaceVpcEndpointAwsService.BACKUP,
  Rds: ec2.InterfaceVpcEndpointAwsService.RDS,
};

/**
 * One VPC across three AZs with public (ingress), private-with-egress (compute) and isolated
 * (database) subnets; all-traffic flow logs to a KMS-encrypted log group; the default security
 * group closed; gateway endpoints for S3 and DynamoDB; interface endpoints for KMS, Secrets Manager,
 * STS, Lambda, CloudWatch Logs and Monitoring, SQS, X-Ray, Backup and RDS: every AWS API that a
 * function or service in the VPC calls, except Cognito (see `APIS_WITHOUT_PRIVATE_ENDPOINT`). No
 * peering or transit gateway attachment is ever created.
 */
export class PlatformNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly flowLogGroup: logs.LogGroup;
  readonly databaseAcl: ec2.NetworkAcl;
  /** Security group of the interface endpoints: clients send HTTPS (443) to it. */
  readonly endpointSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: props.natGateways === 'perAz' ? props.availabilityZones.length : 1,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        {
          name: SUBNET_GROUPS.public,
          subnetType: ec2.SubnetType.PUBLIC,
          cidrMask: 24,
          mapPublicIpOnLaunch: false,
        },
        {
          name: SUBNET_GROUPS.private,
          subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
          cidrMask: 20,
        },
        { name: SUBNET_GROUPS.isolated, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
      ],
    });

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      logGroupName: props.flowLogGroupName,
      encryptionKey: props.logsKey,
      retention: props.flowLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addFlowLog();
    this.databaseAcl = this.isolateDatabaseSubnets(props.cidr);
    this.endpointSecurityGroup = this.addEndpoints(props.cidr);
    this.acknowledgePublicRoutes();
    this.acknowledgeDefaultSecurityGroupHandler();
  }

  /**
   * All traffic to the flow-log group. The role's permissions are a customer-managed policy scoped
   * to that one log group (no inline policy, no wildcard resource).
   */
  private addFlowLog(): void {
    const role = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets VPC Flow Logs write to the flow-log group of this VPC',
    });
    const policy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: 'Write VPC flow logs to their one log group',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn, `${this.flowLogGroup.logGroupArn}:*`],
        }),
      ],
    });
    role.addManagedPolicy(policy);
    const logGroupId = Stack.of(this).getLogicalId(
      this.flowLogGroup.node.defaultChild as CfnElement,
    );
    acknowledge(
      policy,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:*]`,
      'The wildcard covers only the log streams of the one flow-log group (its ARN suffix :*); ' +
        'stream names are created by the VPC Flow Logs service at run time and cannot be listed.',
    );
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        this.flowLogGroup,
        role.withoutPolicyUpdates(),
      ),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }

  /** Isolated subnets accept and send traffic only within the VPC (stateless, so both ways). */
  private isolateDatabaseSubnets(cidr: string): ec2.NetworkAcl {
    const acl = new ec2.NetworkAcl(this, 'DatabaseAcl', {
      vpc: this.vpc,
      subnetSelection: { subnetGroupName: SUBNET_GROUPS.isolated },
    });
    const inbound = acl.addEntry('InboundFromVpc', {
      ruleNumber: 100,
      cidr: ec2.AclCidr.ipv4(cidr),
      traffic: ec2.AclTraffic.allTraffic(),
      direction: ec2.TrafficDirection.INGRESS,
      ruleAction: ec2.Action.ALLOW,
    });
    const outbound = acl.addEntry('OutboundToVpc', {
      ruleNumber: 100,
      cidr: ec2.AclCidr.ipv4(cidr),
      traffic: ec2.AclTraffic.allTraffic(),
      direction: ec2.TrafficDirection.EGRESS,
      ruleAction: ec2.Action.ALLOW,
    });
    for (const resource of [acl, inbound, outbound]) {
      acknowledge(
        resource,
        'AwsSolutions',
        'AwsSolutions-VPC3',
        'Deliberate: this network ACL is the stateless second layer that keeps the database subnets ' +
          'reachable only from inside the VPC range, beneath the database security group that admits ' +
          'only named security groups (the application group and the database function families).',
      );
    }
    return acl;
  }

  private addEndpoints(cidr: string): ec2.SecurityGroup {
    // Gateway endpoints serve the compute subnets; the database subnets' ACL admits only the VPC
    // range, so they reach AWS APIs through the interface endpoints below.
    const compute = [{ subnetGroupName: SUBNET_GROUPS.private }];
    const ownAccountOnly = ownAccountOnlyEndpointStatement(this);
    for (const [id, service] of [
      ['S3', ec2.GatewayVpcEndpointAwsService.S3],
      ['DynamoDb', ec2.GatewayVpcEndpointAwsService.DYNAMODB],
    ] as const) {
      this.vpc.addGatewayEndpoint(id, { service, subnets: compute }).addToPolicy(ownAccountOnly);
    }
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'HTTPS from inside the VPC to the AWS API interface endpoints',
      allowAllOutbound: false,
    });
    endpointSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    for (const [id, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      this.vpc
        .addInterfaceEndpoint(id, {
          service,
          privateDnsEnabled: true,
          open: false,
          securityGroups: [endpointSg],
          subnets: { subnetGroupName: SUBNET_GROUPS.private },
        })
        .addToPolicy(ownAccountOnly);
    }
    return endpointSg;
  }

  /** The public subnets' default routes to the internet gateway are what makes them public. */
  private acknowledgePublicRoutes(): void {
    for (const subnet of this.vpc.publicSubnets) {
      const route = subnet.node.findChild('DefaultRoute');
      acknowledge(
        route,
        'NIST.800.53.R5',
        'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        'Only the public (Ingress) subnets route 0.0.0.0/0 to the internet gateway; they hold only ' +
          'the internet-facing load balancer and the NAT gateways, assign no public IPs on launch, ' +
          'and compute and database subnets have no route to the internet gateway.',
      );
    }
  }

  /**
   * `restrictDefaultSecurityGroup` removes every rule of the default security group through a
   * deploy-time handler that the CDK provides once per stack, outside any VPC.
   */
  private acknowledgeDefaultSecurityGroupHandler(): void {
    const provider = Stack.of(this).node.tryFindChild(
      'Custom::VpcRestrictDefaultSGCustomResourceProvider',
    );
    const handler = provider?.node.tryFindChild('Handler');
    if (!handler) return;
    acknowledge(
      handler,
      'cdk-validator-cfnguard',
      'lambda_inside_vpc_check',
      'CDK-provided deploy-time handler that only revokes the default security group rules of ' +
        'this VPC through the EC2 API; it handles no tenant data, runs only during deployments, and ' +
        'its role may only call ec2:Revoke/AuthorizeSecurityGroupIngress/Egress (authorize to ' +
        'restore the rules when the resource is deleted) on that one security group.',
    );
  }
}
