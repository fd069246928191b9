import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

export interface ImageScanningProps {
  /**
   * `CONTINUOUS_SCAN`: re-scanned whenever a new vulnerability is published (Inspector); or
   * `SCAN_ON_PUSH`: scanned once when pushed.
   * @default 'CONTINUOUS_SCAN'
   */
  readonly frequency?: 'CONTINUOUS_SCAN' | 'SCAN_ON_PUSH';
}

/**
 * Enhanced (Amazon Inspector) vulnerability scanning of every ECR repository of this account and
 * region. Registry-wide on purpose: `cdk deploy` pushes the service images into the CDK bootstrap
 * repository, which this app does not own, so a repository-level `imageScanningConfiguration`
 * cannot be set on it. Enhanced scanning covers OS and language (npm) packages; findings go to
 * Inspector and Security Hub. One per account and region: the environment's Compute stack.
 */
export class ImageScanning extends Construct {
  readonly configuration: ecr.CfnRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: ImageScanningProps = {}) {
    super(scope, id);
    this.configuration = new ecr.CfnRegistryScanningConfiguration(this, 'Configuration', {
      scanType: 'ENHANCED',
      rules: [
        {
          scanFrequency: props.frequency ?? 'CONTINUOUS_SCAN',
          repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }],
        },
      ],
    });
  }
}
