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

/**
 * Acknowledge several findings on one resource with the one compensating control that answers
 * them all, e.g. a regional log bucket's "no replication" findings of three packs.
 */
export function acknowledgeAll(
  target: IConstruct,
  findings: readonly (readonly [FindingSource, string])[],
  reason: string,
): void {
  for (const [source, finding] of findings) acknowledge(target, source, finding, reason);
}

/**
 * An ARN as cdk-nag writes it in a granular IAM finding id: the partition as the
 * `<AWS::Partition>` token the template has, e.g. `arnWithPartition('iam::aws:policy/x')` is
 * `arn:<AWS::Partition>:iam::aws:policy/x`.
 */
export function arnWithPartition(rest: string): string {
  return `arn:<AWS::Partition>:${rest}`;
}

/** `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:<rest>]`: a wildcard in a resource ARN. */
export function iamWildcardResource(rest: string): string {
  return `AwsSolutions-IAM5[Resource::${arnWithPartition(rest)}]`;
}

/** `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/<name>]`: an AWS managed policy. */
export function awsManagedPolicy(name: string): string {
  return `AwsSolutions-IAM4[Policy::${arnWithPartition(`iam::aws:policy/${name}`)}]`;
}
