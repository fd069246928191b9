import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ApiRouteAuthorization,
  CognitoClientHardening,
  IamNoAdminPolicy,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT, NOT_APPLICABLE } from '../rule-harness';

describe('CognitoClientHardening', () => {
  it('passes an authorization-code client that prevents user existence errors', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const client = pool.addClient('Web', {
      oAuth: {
        flows: { authorizationCodeGrant: true },
        callbackUrls: ['https://app.example.com/cb'],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    expect(CognitoClientHardening(client.node.defaultChild as cognito.CfnUserPoolClient)).toBe(
      COMPLIANT,
    );
  });
  it('names the implicit flow, revocation off and user existence errors', () => {
    const stack = newStack();
    const client = cfn(stack, 'C', 'AWS::Cognito::UserPoolClient', {
      UserPoolId: 'p',
      AllowedOAuthFlows: ['implicit'],
      EnableTokenRevocation: false,
    });
    expect(CognitoClientHardening(client)).toEqual([
      'ImplicitFlow',
      'TokenRevocation',
      'UserExistenceErrors',
    ]);
  });
});

describe('IamNoAdminPolicy', () => {
  it('passes a scoped policy', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'R', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    );
    const policy = role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    expect(IamNoAdminPolicy(policy)).toBe(COMPLIANT);
    expect(IamNoAdminPolicy(role.node.defaultChild as iam.CfnRole)).toBe(COMPLIANT);
  });
  it('names admin statements and the AdministratorAccess managed policy', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'R', {
      assumedBy: new iam.AccountRootPrincipal(),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
      inlinePolicies: {
        all: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })],
        }),
      },
    });
    expect(IamNoAdminPolicy(role.node.defaultChild as iam.CfnRole)).toEqual([
      'Policies.0.Statement.0',
      'ManagedPolicyArns.0',
    ]);
  });
});

describe('ApiRouteAuthorization', () => {
  it('passes JWT routes and skips CORS preflight', () => {
    const stack = newStack();
    expect(
      ApiRouteAuthorization(
        cfn(stack, 'R', 'AWS::ApiGatewayV2::Route', {
          ApiId: 'a',
          RouteKey: 'GET /tenants',
          AuthorizationType: 'JWT',
        }),
      ),
    ).toBe(COMPLIANT);
    expect(
      ApiRouteAuthorization(
        cfn(stack, 'O', 'AWS::ApiGatewayV2::Route', { ApiId: 'a', RouteKey: 'OPTIONS /tenants' }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
  it('fails open routes and REST methods', () => {
    const stack = newStack();
    expect(
      ApiRouteAuthorization(
        cfn(stack, 'R', 'AWS::ApiGatewayV2::Route', { ApiId: 'a', RouteKey: 'POST /tenants' }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      ApiRouteAuthorization(
        cfn(stack, 'M', 'AWS::ApiGateway::Method', {
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          ResourceId: 'r',
          RestApiId: 'a',
        }),
      ),
    ).toBe(NON_COMPLIANT);
  });
});
