import { acknowledge, acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';
import type { PlatformService } from './platform-service';

/** Findings on a `PlatformService` that the construct cannot fix, each with its control. */
export function acknowledgeServiceFindings(service: PlatformService): void {
  const policy = service.executionRole.node.findChild('DefaultPolicy');
  acknowledgeWhile(
    policy,
    'AwsSolutions',
    'AwsSolutions-IAM5[Resource::*]',
    'The only wildcard is ecr:GetAuthorizationToken, which has no resource-level permissions; ' +
      'pulling is limited to the one image repository (the CDK bootstrap container-assets ' +
      'repository of this account and region) and logging to the one log group, and only ' +
      'ECS tasks of this account can assume the execution role.',
    onlyActionsOn('*', ['ecr:GetAuthorizationToken']),
  );
  acknowledge(
    policy,
    'NIST.800.53.R5',
    'NIST.800.53.R5-IAMNoInlinePolicy',
    "Inline policy of this service's own execution role, written by the ECS grant methods for its " +
      'one image repository and one log group; it cannot be attached to anything else and is ' +
      'removed with the role.',
  );
}
