import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TenantAdminHandlers } from '../constructs/ingress/admin-api';
import { AdminApi } from '../constructs/ingress/admin-api';
import { EndpointCanaries } from '../constructs/ingress/endpoint-canaries';
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
 * - `adminApi`: the tenant administration HTTP API on its custom domain, JWT on every route;
 * - `canaries`: Synthetics canaries on both public names from inside the region, alarmed.
 */
export class IngressStack extends PlatformStack {
  readonly loadBalancer: PublicLoadBalancer;
  readonly webAcl: WebAcl;
  readonly oauth: OAuthUserPool;
  readonly adminApi: AdminApi;
  readonly canaries: EndpointCanaries;

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

    // Without a token both names answer 401 when the path to the service works: the documents
    // service's tenant gate (the load balancer alone answers 404, without healthy targets 503) and
    // the admin API's JWT authorizer (an unknown route would be 404). `/health` is not routed by
    // the load balancer (only `/documents*` is), so it cannot be checked from outside.
    this.canaries = new EndpointCanaries(this, 'EndpointCanaries', {
      checks: [
        {
          name: 'app',
          url: `https://${ingress.domainName}/documents`,
          connectTo: this.loadBalancer.loadBalancer.loadBalancerDnsName,
          expectedStatus: 401,
        },
        {
          name: 'api',
          url: `https://${ingress.apiDomainName}/tenants/canary`,
          connectTo: this.adminApi.domain.regionalDomainName,
          expectedStatus: 401,
        },
      ],
      namePrefix: names.physical('ingress'),
      target: { topic: props.security.onCall.topic, namePrefix: names.physical('ingress') },
      bucketName: names.physical('canary-artifacts'),
      accessLogsBucketName: names.accessLogsBucket,
      key: logsKey,
      retentionDays: target.env.logRetentionDays,
      production: target.env.production,
    });
  }
}
