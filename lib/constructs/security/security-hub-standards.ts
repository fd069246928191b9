import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/** Standards enabled in every region, by the path of their regional ARN. */
export const SECURITY_HUB_STANDARDS = {
  FoundationalBestPractices: 'standards/aws-foundational-security-best-practices/v/1.0.0',
  Nist80053Rev5: 'standards/nist-800-53/v/5.0.0',
} as const;

export interface SecurityHubStandardsProps {
  /**
   * Other regions whose findings this region aggregates (the environment's primary region names
   * its secondary): a finding aggregator links them, so this region shows and alerts on the
   * findings of both.
   * @default no aggregation (single-region environments, and the secondary region)
   */
  readonly aggregatedRegions?: readonly string[];
}

/**
 * Security Hub in one account and region, with consolidated control findings and the AWS
 * Foundational Security Best Practices and NIST SP 800-53 rev. 5 standards (the default
 * standards are not enabled implicitly, so the list here is the whole list).
 */
export class SecurityHubStandards extends Construct {
  readonly hub: securityhub.CfnHub;
  readonly standards: securityhub.CfnStandard[];
  readonly aggregator?: securityhub.CfnFindingAggregator;

  constructor(scope: Construct, id: string, props: SecurityHubStandardsProps = {}) {
    super(scope, id);
    const { partition, region } = Stack.of(this);
    this.hub = new securityhub.CfnHub(this, 'Hub', {
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    this.standards = Object.entries(SECURITY_HUB_STANDARDS).map(([name, path]) => {
      const standard = new securityhub.CfnStandard(this, name, {
        standardsArn: `arn:${partition}:securityhub:${region}::${path}`,
      });
      standard.node.addDependency(this.hub);
      return standard;
    });
    if (props.aggregatedRegions?.length) {
      this.aggregator = new securityhub.CfnFindingAggregator(this, 'Aggregator', {
        regionLinkingMode: 'SPECIFIED_REGIONS',
        regions: [...props.aggregatedRegions],
      });
      this.aggregator.node.addDependency(this.hub);
    }
  }
}
