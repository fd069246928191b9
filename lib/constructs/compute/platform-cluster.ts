import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface PlatformClusterProps {
  /** The VPC; services run in its compute subnets (see `PlatformService`). */
  readonly vpc: ec2.IVpc;
  /** Physical name of the cluster. */
  readonly clusterName: string;
}

/**
 * The ECS cluster of one environment and region: Fargate only (no instances to patch), with
 * Container Insights for per-task CPU, memory and network metrics.
 */
export class PlatformCluster extends Construct {
  readonly cluster: ecs.Cluster;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: props.clusterName,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
  }
}
