import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import { Construct } from 'constructs';

export interface AccessAnalyzerProps {
  /** Deterministic analyzer name. */
  readonly analyzerName: string;
}

/**
 * IAM Access Analyzer for the account in one region (analyzers are regional): reports every
 * resource policy of the region that grants access outside the account.
 */
export class AccessAnalyzer extends Construct {
  readonly analyzer: accessanalyzer.CfnAnalyzer;

  constructor(scope: Construct, id: string, props: AccessAnalyzerProps) {
    super(scope, id);
    this.analyzer = new accessanalyzer.CfnAnalyzer(this, 'Analyzer', {
      analyzerName: props.analyzerName,
      type: 'ACCOUNT',
    });
  }
}
