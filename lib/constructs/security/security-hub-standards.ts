import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/** Standards enabled in every region, by the path of their regional ARN. */
export const SECURITY_HUB_STANDARDS = {
  FoundationalBestPractices: 'standards/aws-foundational-security-best-practices/v/1.0.0',
  Nist80053Rev5: 'standards/nist-800-53/v/5.0.0',
} as const;

/**
 * Security Hub in one account and region, with consolidated control findings and the AWS
 * Foundational Security Best Practices and NIST SP 800-53 rev. 5 standards (the default
 * standards are not enabled implicitly, so the list here is the whole list).
 */
export class SecurityHubStandards extends Construct {
  readonly hub: securityhub.CfnHub;
  readonly standards: securityhub.CfnStandard[];

  constructor(scope: Construct, id: string) {
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
  }
}
