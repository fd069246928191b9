import { CfnResource, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The plugins whose findings can be acknowledged, by the namespace the CDK report uses. */
export type FindingSource =
  | 'AwsSolutions'
  | 'NIST.800.53.R5'
  | 'HIPAA.Security'
  | 'PCI.DSS.321'
  | 'ISO.27001.2022'
  | 'cdk-validator-cfnguard'
  | 'CloudFormation-Validate'
  | 'Annotation';

const MIN_REASON_LENGTH = 60;

/**
 * Acknowledge one finding on one resource, with the compensating control as the reason.
 *
 * - `target` must be a CloudFormation resource, or an L2 construct whose default child is one:
 *   the acknowledgement sits on that resource only, never on a stack or a subtree.
 * - `finding` is the exact rule id as the report shows it, e.g. `AwsSolutions-IAM5[Action::s3:*]`
 *   or `lambda_inside_vpc_check`.
 * - The reason states the compensating control; short reasons are refused.
 *
 * The id is qualified with its plugin namespace, so the finding stays in `validation-report.json`
 * as acknowledged (with its reason) instead of disappearing.
 */
export function acknowledge(
  target: IConstruct,
  source: FindingSource,
  finding: string,
  reason: string,
): void {
  // A construct annotation is raised on the construct itself; every other finding on a resource.
  const resource =
    source === 'Annotation' || CfnResource.isCfnResource(target)
      ? target
      : target.node.defaultChild;
  if (!resource || (source !== 'Annotation' && !CfnResource.isCfnResource(resource))) {
    throw new Error(
      `acknowledge(${finding}) on ${target.node.path}: not a CloudFormation resource. ` +
        'Acknowledge on the one resource the finding concerns.',
    );
  }
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `acknowledge(${finding}) on ${resource.node.path}: the reason must state the compensating ` +
        `control in at least ${MIN_REASON_LENGTH} characters.`,
    );
  }
  Validations.of(resource).acknowledge({ id: `${source}::${finding}`, reason });
}
