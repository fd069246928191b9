import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalList, literalObject, literalString } from '../core/values';

/** API Gateway security policies that allow only TLS 1.2 or newer. */
export function isApiTls12Policy(policy: string | undefined): boolean {
  return policy === 'TLS_1_2' || /^SecurityPolicy_TLS1[23]/.test(policy ?? '');
}

/**
 * An API Gateway custom domain (REST `AWS::ApiGateway::DomainName`, or every configuration of an
 * HTTP / WebSocket `AWS::ApiGatewayV2::DomainName`) has a TLS 1.2+ security policy. No policy
 * means `TLS_1_0`. Own rule: cdk-nag's `APIGWSSLEnabled` is about client certificates to the
 * backend, not the TLS version clients may use.
 */
export const ApiGatewayDomainTls12 = defineRule('ApiGatewayDomainTls12', (node) => {
  const props =
    node.cfnResourceType === 'AWS::ApiGateway::DomainName' ||
    node.cfnResourceType === 'AWS::ApiGatewayV2::DomainName'
      ? viewOf(node).properties
      : undefined;
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  if (node.cfnResourceType === 'AWS::ApiGateway::DomainName') {
    return isApiTls12Policy(literalString(props.SecurityPolicy, 'SecurityPolicy'))
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  }
  const configurations = literalList(props.DomainNameConfigurations, 'DomainNameConfigurations');
  const weak = configurations
    .map((_, i) => `DomainNameConfigurations.${i}`)
    .filter((path, i) => {
      const config = literalObject(configurations[i], path);
      return !isApiTls12Policy(literalString(config?.SecurityPolicy, `${path}.SecurityPolicy`));
    });
  if (configurations.length === 0) return NagRuleCompliance.NON_COMPLIANT;
  return weak.length === 0 ? NagRuleCompliance.COMPLIANT : weak;
});
