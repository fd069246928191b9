import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TenantAdminHandlers } from '../constructs/ingress/admin-api';
import { AdminApi } from '../constructs/ingress/admin-api';
import { LoadBalancerLogsBucket } from '../constructs/ingress/load-balancer-logs-bucket';
import type { OAuthUserPool } from '../constructs/security/oauth-user-pool';
import { PublicLoadBalancer } from '../constructs/ingress/public-load-balancer';
import { WebAcl } from '../constructs/ingress/web-acl';
import { SUBNET_GROUPS } from '../constructs/core/subnet-groups';
import type { NetworkStack } from './network-stack';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';
import type { SecurityStack } from './security-stack';

export interface IngressStackProps extends PlatformStackProps {
  /** The region's security stack. */
  readonly security: SecurityStack;
  /** The region's network: the load balancer goes into its public (`Ingress`) subnets. */
  readonly network: NetworkStack;
  /**
   * The handlers of the tenant administration routes (the region's Lifecycle stack builds them in
   * every region: no route of the admin API is a placeholder).
   */
  readonly adminHandlers: TenantAdminHandlers;
}

/**
 * The only public surface of one environment in one region:
 *
 * - `loadBalancer`: the internet-facing ALB (HTTPS only, 404 until services attach with
 *   `loadBalancer.addApplicationTarget(...)`), protected by `webAcl`;
 * - `oauth`: the operators' Cognito user pool that issues the admin API's tokens (in the Security
 *   stack; tenant users are in a separate pool whose tokens the admin API refuses);
 * - `adminApi`: the tenant administration HTTP API on its custom domain, JWT on every route.
 */
export class IngressStack extends PlatformStack {
  readonly loadBalancer: PublicLoadBalancer;
  readonly webAcl: WebAcl;
  readonly oauth: OAuthUserPool;
  readonly adminApi: AdminApi;

  constructor(scope: Construct, props: IngressStackProps) {
    super(scope, 'Ingress', {
      ...props,
      description: `Entry points of ${props.target.envName} in ${props.target.region}: ALB, WAF, OAuth, admin API`,
    });
    const { names, target } = this;
    const { ingress } = target.env;
    const certificateArn = ingress.certificateArns[target.region];
    if (!certificateArn) {
      throw new Error(
        `environments.${target.envName}.ingress.certificateArns has no certificate for ` +
          `${target.region}: add the ARN of an ACM certificate in that region`,
      );
    }
    const retention = target.env.logRetentionDays as logs.RetentionDays;
    const logsKey = this.logsKey.key;

    const albLogs = new LoadBalancerLogsBucket(this, 'LoadBalancerLogs', {
      bucketName: names.physical('alb-logs'),
      accessLogsBucketName: names.accessLogsBucket,
      retentionDays: target.env.logRetentionDays,
      production: target.env.production,
    });
    this.loadBalancer = new PublicLoadBalancer(this, 'PublicLoadBalancer', {
      vpc: props.network.network.vpc,
      subnets: { subnetGroupName: SUBNET_GROUPS.public },
      certificateArn,
      accessLogsBucket: albLogs.bucket,
      deletionProtection: target.env.production,
    });
    this.webAcl = new WebAcl(this, 'WebAcl', {
      name: names.physical('web-acl'),
      protectedResourceArn: this.loadBalancer.loadBalancer.loadBalancerArn,
      rateLimitPer5Minutes: ingress.rateLimitPer5Minutes,
      logsKey,
      logRetention: retention,
    });

    this.oauth = props.security.identity;

    this.adminApi = new AdminApi(this, 'AdminApi', {
      apiName: names.physical('admin-api'),
      oauth: {
        userPool: this.oauth.userPool,
        clients: [this.oauth.machineClient, this.oauth.operatorClient],
        scopes: this.oauth.scopes,
      },
      domainName: ingress.apiDomainName,
      certificateArn,
      handlers: props.adminHandlers,
      accessLogGroupName: `/${names.physical('admin-api-access')}`,
      logsKey,
      logRetention: retention,
    });
  }
}
