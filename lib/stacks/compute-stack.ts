import { join } from 'node:path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentRegion, PlatformConfig } from '../config';
import { environmentRegions } from '../config';
import { ImagePullEndpoints } from '../constructs/compute/image-pull-endpoints';
import { ImageScanning } from '../constructs/compute/image-scanning';
import { PlatformCluster } from '../constructs/compute/platform-cluster';
import { PlatformService } from '../constructs/compute/platform-service';
import { APP_ROLE, DATABASE_PORT, TENANT_DATABASE } from '../../lambda/shared/database/names';
import { acknowledge } from '../compliance/acknowledge';
import type { DocumentsServiceTargets } from '../constructs/compute/documents-service-settings';
import {
  documentsServiceEnvironment,
  grantDocumentsService,
} from '../constructs/compute/documents-service-settings';
import { SUBNET_GROUPS } from '../constructs/core/subnet-groups';
import type { DataStack } from './data-stack';
import type { IngressStack } from './ingress-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';
import type { SecurityStack } from './security-stack';
import type { StorageStack } from './storage-stack';

export interface ComputeStackProps extends PlatformStackProps {
  /** The region's network: tasks run in its compute subnets. */
  readonly network: NetworkStack;
  /** The region's ingress: services attach to its load balancer's HTTPS listener. */
  readonly ingress: IngressStack;
  /** The region's database, when the region has one: services may reach its port. */
  readonly data?: DataStack;
  /** The region's keys and tenant pool (the documents service verifies its tokens). */
  readonly security: SecurityStack;
  /** The region's file bucket and token-vending function (tenant sessions). */
  readonly storage: StorageStack;
}

/** Folder of the documents service (its Dockerfile), from the repository root. */
export const DOCUMENTS_SERVICE_DIRECTORY = join(__dirname, '..', '..', 'services', 'documents');

/**
 * Registry settings are one per account and region: when environments share an account (dev and
 * test may), the first environment of the config in that region owns them, so that two stacks never
 * create the same singleton.
 */
export function ownsRegistrySettings(config: PlatformConfig, target: EnvironmentRegion): boolean {
  const first = environmentRegions(config).find(
    (t) => t.env.account === target.env.account && t.region === target.region,
  );
  return first?.envName === target.envName;
}

/**
 * The services' compute of one environment in one region: the Fargate cluster, registry-wide
 * image scanning, the endpoints a task needs to pull its image privately, and the services, each a
 * `PlatformService` with its own rule on the public load balancer (first: documents).
 */
export class ComputeStack extends PlatformStack {
  readonly cluster: PlatformCluster;
  /** Absent where another environment of the same account owns the region's registry settings. */
  readonly imageScanning?: ImageScanning;
  readonly imagePull: ImagePullEndpoints;
  /** The public load balancer's HTTPS listener, imported with its security group. */
  readonly publicListener: elbv2.IApplicationListener;
  readonly documents: PlatformService;

  constructor(scope: Construct, props: ComputeStackProps) {
    super(scope, 'Compute', {
      ...props,
      description: `Compute of ${props.target.envName} in ${props.target.region}: Fargate cluster and services`,
    });
    const { target, names } = this;
    const vpc = props.network.network.vpc;
    const computeSubnets = { subnetGroupName: SUBNET_GROUPS.private };
    const logRetention = target.env.logRetentionDays as logs.RetentionDays;

    this.cluster = new PlatformCluster(this, 'Cluster', {
      vpc,
      clusterName: names.physical('services'),
    });
    if (ownsRegistrySettings(props.config, target)) {
      this.imageScanning = new ImageScanning(this, 'ImageScanning');
    }
    this.imagePull = new ImagePullEndpoints(this, 'ImagePull', {
      vpc,
      subnets: computeSubnets,
      vpcCidr: target.network.vpcCidr,
    });

    // Imported here (not used from the Ingress stack) so that the target groups, listener rules
    // and security-group rules of the services are created in this stack: no reference cycle.
    const loadBalancer = props.ingress.loadBalancer;
    this.publicListener = elbv2.ApplicationListener.fromApplicationListenerAttributes(
      this,
      'PublicListener',
      {
        listenerArn: loadBalancer.httpsListener.listenerArn,
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(
          this,
          'PublicLoadBalancerSecurityGroup',
          loadBalancer.securityGroup.securityGroupId,
          { allowAllOutbound: false },
        ),
      },
    );

    const { compute } = target.env;
    const documents = this.documentsTargets(props);
    this.documents = new PlatformService(this, 'Documents', {
      cluster: this.cluster.cluster,
      imageDirectory: DOCUMENTS_SERVICE_DIRECTORY,
      capacity: {
        desiredCount: compute.desiredCount,
        maxCount: compute.maxCount,
        cpu: compute.cpu,
        memoryMiB: compute.memoryMiB,
      },
      subnets: computeSubnets,
      availabilityZones: target.availabilityZones.length,
      requireTaskPerAz: target.env.production,
      route: {
        listener: this.publicListener,
        loadBalancerFullName: loadBalancer.loadBalancer.loadBalancerFullName,
        priority: 100,
        pathPatterns: ['/documents', '/documents/*'],
      },
      egress: {
        endpointSecurityGroups: [
          props.network.network.endpointSecurityGroup,
          this.imagePull.securityGroup,
        ],
        // S3: image layers and scan tags; DynamoDB: the tenant registry. Lambda (the token-vending
        // function), STS, KMS and Logs are interface endpoints of the network's endpoint group.
        endpointPrefixLists: {
          [props.network.gatewayPrefixLists.s3]: 'S3',
          [props.network.gatewayPrefixLists.dynamodb]: 'DynamoDB',
        },
        publicHttps: 'the tenant pool keys (Cognito JWKS), which have no VPC endpoint',
        database: props.data
          ? { securityGroup: props.data.database.securityGroup, port: DATABASE_PORT }
          : undefined,
      },
      logGroupName: `/${names.physical('documents')}`,
      logsKey: this.logsKey.key,
      logRetention,
      environment: { ...documentsServiceEnvironment(documents), AWS_REGION: this.region },
    });
    grantDocumentsService(this.documents, documents);
    acknowledge(
      this.documents.taskDefinition,
      'AwsSolutions',
      'AwsSolutions-ECS2',
      'The environment holds names and endpoints only (issuer, client ids, table, database host, ' +
        'bucket, function name); the service has no secret: it authenticates with its task role and IAM ' +
        'database tokens.',
    );
  }

  /** What the documents service is configured with in this region. */
  private documentsTargets(props: ComputeStackProps): DocumentsServiceTargets {
    const database = props.data?.database;
    if (!database) {
      throw new Error(
        `${this.stackName}: the documents service needs a database in ${this.target.region}: ` +
          `set environments.${this.target.envName}.database.globalDatabase to true (a secondary ` +
          'cluster in this region), or remove the region',
      );
    }
    const cluster = database.cluster;
    const secondary = database.secondaryCluster;
    const tenantPool = props.security.tenantIdentity;
    return {
      tokenIssuer: tenantPool.issuerUrl,
      clientIds: [tenantPool.appClient.userPoolClientId],
      registryTable: this.names.tenantTable,
      registryKey: props.security.keys.database.key,
      database: {
        host: cluster ? cluster.clusterEndpoint.hostname : secondary!.attrEndpointAddress,
        resourceId: cluster
          ? cluster.clusterResourceIdentifier
          : secondary!.attrDbClusterResourceId,
        name: TENANT_DATABASE,
        user: APP_ROLE,
      },
      filesBucket: this.names.filesBucket,
      credentialsFunction: {
        functionName: props.storage.tenantSession.vending.function.functionName,
        functionArn: props.storage.tenantSession.vending.function.functionArn,
      },
    };
  }
}
