import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WebAclProps {
  /** Name of the web ACL (also the prefix of its metric names). */
  readonly name: string;
  /** ARN of the resource the web ACL protects (a regional resource: the load balancer). */
  readonly protectedResourceArn: string;
  /** Requests per 5 minutes from one IP address before the rate rule blocks it (at least 100). */
  readonly rateLimitPer5Minutes: number;
  /** Key of the log group (the stack's logs key). */
  readonly logsKey: kms.IKey;
  /** Retention of the log group. */
  readonly logRetention: logs.RetentionDays;
}

/** AWS managed rule groups, in evaluation order after the rate rule. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/**
 * A regional WAF v2 web ACL: a per-IP rate-based rule, then the AWS managed rule groups for IP
 * reputation, common exploits (OWASP core), known bad inputs and SQL injection; requests that no
 * rule blocks are allowed. Associated with the protected resource and logging to a KMS-encrypted
 * log group named `aws-waf-logs-<name>` (WAF requires the prefix), with the `authorization` and
 * `cookie` headers redacted.
 */
export class WebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: 'RateLimitPerIp',
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement: { limit: props.rateLimitPer5Minutes, aggregateKeyType: 'IP' },
        },
        visibilityConfig: visibility(`${props.name}-rate-limit`),
      },
      ...MANAGED_RULE_GROUPS.map((group, i) => ({
        name: group,
        priority: i + 1,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
        visibilityConfig: visibility(`${props.name}-${group}`),
      })),
    ];
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility(props.name),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.protectedResourceArn,
      webAclArn: this.webAcl.attrArn,
    });

    const logGroupName = `aws-waf-logs-${props.name}`;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // WAF wants the log group ARN without the `:*` suffix of its Arn attribute.
    const logGroupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
      ],
    });
    logging.node.addDependency(this.logGroup);
  }
}
