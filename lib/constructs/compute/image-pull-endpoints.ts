import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';
import { acknowledgeSdkCallFunction } from '../core/sdk-call-function';

export interface ImagePullEndpointsProps {
  /** The VPC of the services. */
  readonly vpc: ec2.IVpc;
  /** The compute subnets the services (and so the endpoints) are in. */
  readonly subnets: ec2.SubnetSelection;
  /** The VPC's IPv4 range: the only source the endpoints admit. */
  readonly vpcCidr: string;
  /** Key of the lookup's log group; it must allow CloudWatch Logs. */
  readonly logsKey: kms.IKey;
  /** Retention of the lookup's log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * What a Fargate task needs to pull its image without the internet: interface endpoints for the
 * ECR API and the Docker registry, and the id of the region's S3 prefix list, because image layers
 * come from S3 through the VPC's S3 gateway endpoint and a security group can only name S3 by that
 * AWS-managed prefix list. Its id differs per region and CloudFormation has no intrinsic for it,
 * so it is read once at deployment (`ec2:DescribeManagedPrefixLists`); DynamoDB's likewise, for
 * services that read the tenant registry through the VPC's DynamoDB gateway endpoint.
 */
export class ImagePullEndpoints extends Construct {
  /** Security group of the ECR interface endpoints: services send HTTPS to it. */
  readonly securityGroup: ec2.SecurityGroup;
  /** Id of the AWS-managed prefix list `com.amazonaws.<region>.s3` (a deploy-time token). */
  readonly s3PrefixListId: string;
  /** Id of `com.amazonaws.<region>.dynamodb`: services read the registry through its gateway. */
  readonly dynamoDbPrefixListId: string;

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
    for (const [endpointId, service] of Object.entries(services)) {
      new ec2.InterfaceVpcEndpoint(this, endpointId, {
        vpc: props.vpc,
        service,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [this.securityGroup],
        subnets: props.subnets,
      });
    }
    // The lookups share the stack's one provider function, so they share its one log group (the
    // id keeps the name of its first use, so the existing group is not replaced).
    const logGroup = new logs.LogGroup(this, 'S3PrefixListLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.s3PrefixListId = this.lookUpPrefixList(logGroup, 'S3PrefixList', 's3');
    this.dynamoDbPrefixListId = this.lookUpPrefixList(logGroup, 'DynamoDbPrefixList', 'dynamodb');
    acknowledgeSdkCallFunction(this, 'makes read-only EC2 calls (DescribeManagedPrefixLists)');
  }

  private lookUpPrefixList(logGroup: logs.ILogGroup, id: string, service: string): string {
    const region = Stack.of(this).region;
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      parameters: {
        Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${region}.${service}`] }],
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${service}-prefix-list-${region}`),
      outputPaths: ['PrefixLists.0.PrefixListId'],
    };
    const lookup = new cr.AwsCustomResource(this, id, {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE,
      }),
      installLatestAwsSdk: false,
      logGroup,
    });
    acknowledgeWhile(
      lookup.node.findChild('CustomResourcePolicy'),
      'AwsSolutions',
      'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeManagedPrefixLists is a read-only call without resource-level permissions; it is ' +
        'the only action of this policy, and only the deploy-time lookup function holds it.',
      onlyActionsOn('*', ['ec2:DescribeManagedPrefixLists']),
    );
    acknowledge(
      lookup.node.findChild('CustomResourcePolicy'),
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'Inline policy of the CDK-provided lookup function role with one read-only action; it cannot ' +
        'be attached to anything else and is removed with the role.',
    );
    return lookup.getResponseField('PrefixLists.0.PrefixListId');
  }
}
