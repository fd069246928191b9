import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalString } from '../core/values';

/**
 * Every API route (HTTP / WebSocket `AWS::ApiGatewayV2::Route`, REST `AWS::ApiGateway::Method`)
 * requires authorization (JWT, IAM, Lambda or Cognito authorizer), except CORS preflight
 * (`OPTIONS`) routes.
 *
 * Own rule: cdk-nag's `APIGWAuthorization` covers REST methods only.
 */
export const ApiRouteAuthorization = defineRule('ApiRouteAuthorization', (node) => {
  const type = node.cfnResourceType;
  if (type !== 'AWS::ApiGatewayV2::Route' && type !== 'AWS::ApiGateway::Method') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = viewOf(node).properties;
  const method =
    type === 'AWS::ApiGateway::Method'
      ? literalString(props.HttpMethod, 'HttpMethod')
      : literalString(props.RouteKey, 'RouteKey')?.split(' ')[0];
  if (method?.toUpperCase() === 'OPTIONS') return NagRuleCompliance.NOT_APPLICABLE;
  const authorization = literalString(props.AuthorizationType, 'AuthorizationType') ?? 'NONE';
  return authorization.toUpperCase() === 'NONE'
    ? NagRuleCompliance.NON_COMPLIANT
    : NagRuleCompliance.COMPLIANT;
});
