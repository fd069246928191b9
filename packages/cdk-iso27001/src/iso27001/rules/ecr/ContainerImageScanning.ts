import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalList, literalObject, literalString } from '../core/values';

const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** Whether the stack's account has enhanced (Inspector) scanning on every repository. */
function registryScansEverything(stack: Stack): boolean {
  return appIndexOf(stack)
    .ofType('AWS::ECR::RegistryScanningConfiguration')
    .some((config) => {
      const props = viewOf(config).properties;
      return (
        Stack.of(config).account === stack.account &&
        literalString(props.ScanType, 'ScanType') === 'ENHANCED' &&
        literalList(props.Rules, 'Rules').length > 0
      );
    });
}

/** Whether a resolved image is from ECR: a literal ECR URI, or built from an ECR repository. */
function isEcrImage(image: unknown, stack: Stack): boolean {
  const ref = referenceOf(image, stack);
  if (ref.kind === 'text')
    return ECR_IMAGE.test(ref.text.replace(/<AWS::AccountId>/, '000000000000'));
  return JSON.stringify(image).includes('.dkr.ecr.');
}

/**
 * Container images are scanned for vulnerabilities where containers run: every ECR repository
 * scans on push (`ImageScanningConfiguration.ScanOnPush`) unless the registry has enhanced
 * (Inspector) scanning, and every ECS task definition runs images from ECR only (an image from
 * another registry is never scanned by AWS). Findings name the containers with other images.
 *
 * cdk-nag has no equivalent for task definitions; its ECR rules do not look at scanning.
 */
export const ContainerImageScanning = defineRule('ContainerImageScanning', (node) => {
  const stack = Stack.of(node);
  const props = viewOf(node).properties;
  if (node.cfnResourceType === 'AWS::ECR::Repository') {
    const scanning = literalObject(props.ImageScanningConfiguration, 'ImageScanningConfiguration');
    const onPush = literalBoolean(scanning?.ScanOnPush, 'ImageScanningConfiguration.ScanOnPush');
    return onPush === true || registryScansEverything(stack)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  }
  if (node.cfnResourceType !== 'AWS::ECS::TaskDefinition') return NagRuleCompliance.NOT_APPLICABLE;
  const findings = literalList(props.ContainerDefinitions, 'ContainerDefinitions').flatMap(
    (container, i) =>
      isEcrImage((container as Record<string, unknown> | undefined)?.Image, stack)
        ? []
        : [`ContainerDefinitions.${i}`],
  );
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
