import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWhile, internetIngressOnly } from '../../compliance/acknowledge';

export interface PublicLoadBalancerProps {
  /** The VPC; the load balancer goes into its public subnets. */
  readonly vpc: ec2.IVpc;
  /** Subnets of the load balancer (public, one per AZ). */
  readonly subnets: ec2.SubnetSelection;
  /** ACM certificate ARN of the HTTPS listener (in this region). */
  readonly certificateArn: string;
  /** Bucket receiving access logs (SSE-S3). */
  readonly accessLogsBucket: s3.IBucket;
  /** Deletion protection: on in production. */
  readonly deletionProtection: boolean;
  /**
   * TLS policy of the HTTPS listener: TLS 1.3 and 1.2 only.
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (`ELBSecurityPolicy-TLS13-1-2-2021-06`)
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * Prefix of the access logs in the bucket.
   * @default 'alb'
   */
  readonly accessLogsPrefix?: string;
}

/** How an application service attaches to the public load balancer. */
export interface ApplicationTargetOptions {
  /** Rule priority, unique on the listener (1-50000; lower is evaluated first). */
  readonly priority: number;
  /** Host names the rule matches, e.g. `['app.example.com']`. @default any host */
  readonly hostHeaders?: string[];
  /** Path patterns the rule matches, e.g. `['/orders/*']`. @default any path */
  readonly pathPatterns?: string[];
  /** The service's targets (an ECS service, Lambda, IP or instance targets). */
  readonly targets: elbv2.IApplicationLoadBalancerTarget[];
  /** Port the targets listen on. */
  readonly port: number;
  /**
   * Protocol from the load balancer to the targets. Use HTTPS where the targets terminate TLS.
   * @default elbv2.ApplicationProtocol.HTTPS
   */
  readonly protocol?: elbv2.ApplicationProtocol;
  /** Health check of the target group. @default the elbv2 default (HTTP GET /) */
  readonly healthCheck?: elbv2.HealthCheck;
}

/**
 * The internet-facing Application Load Balancer of one environment and region.
 *
 * - HTTPS on 443 with a TLS 1.2+ policy and the configured certificate; HTTP on 80 only
 *   redirects to HTTPS (301);
 * - unmatched requests get a fixed 404 JSON response: nothing is exposed until a service attaches;
 * - access logs, invalid header fields dropped, deletion protection in production.
 *
 * **Attaching an application service**: call `addApplicationTarget(id, options)` with a unique
 * priority and host and/or path conditions; it adds a target group and a listener rule to the
 * HTTPS listener and opens the security groups between the load balancer and the targets. From
 * another stack of the same region, pass the `IngressStack`'s `loadBalancer` and call the method
 * there (or use `httpsListener.addTargets`). See `docs/ingress.md`.
 */
export class PublicLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly httpListener: elbv2.ApplicationListener;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Internet-facing load balancer: HTTPS, and HTTP only to redirect to HTTPS',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from anywhere');
    this.securityGroup.addIngressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(80),
      'HTTP from anywhere, redirected to HTTPS',
    );
    // Held only while 443 and 80 are all the group opens to the internet: another open port
    // leaves the finding open.
    acknowledgeWhile(
      this.securityGroup,
      'AwsSolutions',
      'AwsSolutions-EC23',
      'This is the public entry point: only 443 (TLS 1.2+) and 80 (answered with a redirect to ' +
        'HTTPS) are open to the internet, behind the WAF web ACL with managed rules and a rate limit.',
      internetIngressOnly([
        { protocol: 'tcp', fromPort: 443, toPort: 443 },
        { protocol: 'tcp', fromPort: 80, toPort: 80 },
      ]),
    );

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: true,
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      http2Enabled: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, props.accessLogsPrefix ?? 'alb');
    if (!props.deletionProtection) {
      const reason =
        'Deletion protection is on in production only; this non-production load balancer holds ' +
        'no data, is rebuilt from code, and its stack is changed only through reviewed deployments.';
      acknowledge(
        this.loadBalancer,
        'NIST.800.53.R5',
        'NIST.800.53.R5-ELBDeletionProtectionEnabled',
        reason,
      );
      acknowledge(
        this.loadBalancer,
        'cdk-validator-cfnguard',
        'elbv2_deletion_protection_enabled_check',
        reason,
      );
    }

    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS,
      certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
      defaultAction: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: JSON.stringify({ error: 'NOT_FOUND', message: 'no such route' }),
      }),
      open: false,
    });
    this.httpListener = this.loadBalancer.addRedirect({
      sourcePort: 80,
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      targetPort: 443,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
      open: false,
    });
    // Listener tags are newer than the CloudFormation schema of cfn-lint 1.51, which rejects them
    // (E3002); the load balancer itself carries the tags.
    for (const listener of [this.httpsListener, this.httpListener]) {
      (listener.node.defaultChild as elbv2.CfnListener).addPropertyDeletionOverride('Tags');
    }
    acknowledge(
      this.httpListener,
      'NIST.800.53.R5',
      'NIST.800.53.R5-ELBv2ACMCertificateRequired',
      'The plain-HTTP listener on port 80 has a single default action, a 301 redirect to HTTPS on ' +
        '443; it forwards nothing to any target, so there is no content a certificate could protect.',
    );
  }

  /**
   * Route requests matching `hostHeaders` / `pathPatterns` to an application service: a target
   * group on the HTTPS listener with a rule at `priority`. At least one condition is required.
   */
  addApplicationTarget(
    id: string,
    options: ApplicationTargetOptions,
  ): elbv2.ApplicationTargetGroup {
    const conditions = [
      ...(options.hostHeaders ? [elbv2.ListenerCondition.hostHeaders(options.hostHeaders)] : []),
      ...(options.pathPatterns ? [elbv2.ListenerCondition.pathPatterns(options.pathPatterns)] : []),
    ];
    if (conditions.length === 0) {
      throw new Error(
        `addApplicationTarget(${id}): give hostHeaders or pathPatterns; the default action stays 404`,
      );
    }
    const group = new elbv2.ApplicationTargetGroup(this, `${id}Targets`, {
      vpc: this.loadBalancer.vpc,
      port: options.port,
      protocol: options.protocol ?? elbv2.ApplicationProtocol.HTTPS,
      targets: options.targets,
      healthCheck: options.healthCheck,
    });
    this.httpsListener.addTargetGroups(id, {
      priority: options.priority,
      conditions,
      targetGroups: [group],
    });
    return group;
  }
}
