import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalObject, literalString } from '../core/values';

/** Viewer policies at least as strict as `TLSv1.2_2021`. */
export const CLOUDFRONT_TLS12_POLICIES = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];

/**
 * The distribution serves viewers with its own certificate and a minimum protocol version of
 * `TLSv1.2_2021` or stricter. The CloudFront default certificate allows TLS 1.0 and fails.
 *
 * Own rule: cdk-nag's `CloudFrontDistributionHttpsViewerNoOutdatedSSL` accepts `TLSv1.1_2016`
 * and `TLSv1.2_2018`, whose cipher suites include ones without forward secrecy.
 */
export const CloudFrontViewerTls12 = defineRule('CloudFrontViewerTls12', (node) => {
  if (node.cfnResourceType !== 'AWS::CloudFront::Distribution')
    return NagRuleCompliance.NOT_APPLICABLE;
  const config = literalObject(viewOf(node).properties.DistributionConfig, 'DistributionConfig');
  const certificate = literalObject(
    config?.ViewerCertificate,
    'DistributionConfig.ViewerCertificate',
  );
  if (!certificate) return NagRuleCompliance.NON_COMPLIANT;
  const path = 'DistributionConfig.ViewerCertificate';
  if (
    literalBoolean(certificate.CloudFrontDefaultCertificate, `${path}.CloudFrontDefaultCertificate`)
  ) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  const minimum = literalString(
    certificate.MinimumProtocolVersion,
    `${path}.MinimumProtocolVersion`,
  );
  return minimum !== undefined && CLOUDFRONT_TLS12_POLICIES.includes(minimum)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
