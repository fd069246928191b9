import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

export interface ThreatDetectionProps {
  /**
   * How often GuardDuty publishes updates of existing findings to EventBridge.
   * @default 'FIFTEEN_MINUTES'
   */
  readonly findingPublishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
}

const ENABLED = 'ENABLED';

/**
 * GuardDuty protection plans turned on with the detector. Runtime monitoring covers EKS, ECS on
 * Fargate and EC2 with agents GuardDuty manages (it supersedes the separate EKS runtime feature,
 * which may not be listed with it).
 */
export const GUARDDUTY_FEATURES: guardduty.CfnDetector.CFNFeatureConfigurationProperty[] = [
  { name: 'S3_DATA_EVENTS', status: ENABLED },
  { name: 'EKS_AUDIT_LOGS', status: ENABLED },
  { name: 'EBS_MALWARE_PROTECTION', status: ENABLED },
  { name: 'RDS_LOGIN_EVENTS', status: ENABLED },
  { name: 'LAMBDA_NETWORK_LOGS', status: ENABLED },
  {
    name: 'RUNTIME_MONITORING',
    status: ENABLED,
    additionalConfiguration: [
      { name: 'EKS_ADDON_MANAGEMENT', status: ENABLED },
      { name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: ENABLED },
      { name: 'EC2_AGENT_MANAGEMENT', status: ENABLED },
    ],
  },
];

/**
 * The GuardDuty detector of one account and region, with every protection plan relevant to the
 * platform: S3 data events (files), RDS login events (Aurora), Lambda network logs (lifecycle
 * workers), EBS malware protection, EKS audit logs and runtime monitoring (containers).
 * A region has one detector per account: if the organisation's delegated administrator already
 * enables GuardDuty, do not deploy this one (see the report of the security baseline).
 */
export class ThreatDetection extends Construct {
  readonly detector: guardduty.CfnDetector;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps = {}) {
    super(scope, id);
    this.detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES',
      features: GUARDDUTY_FEATURES,
    });
    acknowledge(
      this.detector,
      'cdk-validator-cfnguard',
      'guardduty_s3_protection_enabled_check',
      'S3 protection is on through the S3_DATA_EVENTS entry of Features, which supersedes the ' +
        'deprecated DataSources property the check reads; GuardDuty refuses a detector that sets both.',
    );
  }
}
