import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ADMIN_ROUTES } from '../../../lambda/shared/lifecycle/admin-routes';

/**
 * What the admin API needs of its authorization server: the operators' pool, the clients whose
 * tokens it accepts, and the full scope strings of its routes. Never the tenant pool.
 */
export interface AdminApiIdentity {
  readonly userPool: cognito.IUserPool;
  /** The operator clients (machine and operator sign-in): the authorizer's audiences. */
  readonly clients: readonly cognito.IUserPoolClient[];
  /** Scopes as they appear in access tokens, e.g. `https://api.example.com/tenants.admin`. */
  readonly scopes: { readonly admin: string; readonly read: string };
}

/** The lifecycle handlers behind the tenant administration routes (HTTP API payload v2, JWT). */
export interface TenantAdminHandlers {
  readonly deactivate: lambda.IFunction;
  readonly reactivate: lambda.IFunction;
  readonly status: lambda.IFunction;
  readonly settings: lambda.IFunction;
}

export interface AdminApiProps {
  /** Name of the HTTP API. */
  readonly apiName: string;
  /** The operators' authorization server: its issuer and clients are all the authorizer accepts. */
  readonly oauth: AdminApiIdentity;
  /** Custom domain name of the API. */
  readonly domainName: string;
  /** ACM certificate ARN (in this region) covering `domainName`. */
  readonly certificateArn: string;
  /** The handlers of each route. */
  readonly handlers: TenantAdminHandlers;
  /** Access log group name. */
  readonly accessLogGroupName: string;
  /** Key of the access log group (the stack's logs key). */
  readonly logsKey: kms.IKey;
  /** Retention of the access log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Steady-state requests per second of the stage (every route).
   * @default 50
   */
  readonly throttleRateLimit?: number;
  /**
   * Burst of requests of the stage.
   * @default 100
   */
  readonly throttleBurstLimit?: number;
}

/**
 * The routes, the handler of each and the operator scopes a token needs (any one of them): the
 * same list the handlers check again (`lambda/shared/lifecycle/admin-routes.ts`).
 */
export const TENANT_ADMIN_ROUTES = ADMIN_ROUTES.map((route) => ({
  ...route,
  method: apigwv2.HttpMethod[route.method],
}));

/**
 * The tenant administration API: an HTTP API reachable only through its custom domain (TLS 1.2,
 * the default execute-api endpoint is off), a JWT authorizer (issuer: the user pool; audience: its
 * clients) on every route with the OAuth scopes each route needs, no `$default` route (unknown
 * routes get API Gateway's 404), JSON access logs to a KMS-encrypted log group, and stage-wide
 * throttling.
 */
export class AdminApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly domain: apigwv2.DomainName;
  readonly accessLogGroup: logs.LogGroup;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);
    const { oauth } = props;
    const { account } = Stack.of(this);
    this.domain = new apigwv2.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      endpointType: apigwv2.EndpointType.REGIONAL,
    });
    this.authorizer = new HttpUserPoolAuthorizer('Jwt', oauth.userPool, {
      userPoolClients: [...oauth.clients],
      authorizerName: 'cognito-jwt',
    });
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'Tenant administration (deactivate, reactivate, status, settings)',
      disableExecuteApiEndpoint: true,
      createDefaultStage: false,
      // A route added without its own settings still needs an operator token with the admin scope.
      defaultAuthorizer: this.authorizer,
      defaultAuthorizationScopes: [oauth.scopes.admin],
    });

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: props.accessLogGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      domainMapping: { domainName: this.domain },
      throttle: {
        rateLimit: props.throttleRateLimit ?? 50,
        burstLimit: props.throttleBurstLimit ?? 100,
      },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            clientId: '$context.authorizer.claims.client_id',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    for (const route of TENANT_ADMIN_ROUTES) {
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: new HttpLambdaIntegration(
          `${route.id}Integration`,
          props.handlers[route.handler],
        ),
        authorizer: this.authorizer,
        authorizationScopes: route.scopes.map((s) => oauth.scopes[s]),
      });
      for (const permission of routes.flatMap((r) => r.node.findAll())) {
        // Only API Gateway of this account may invoke (the SourceArn also names this API).
        if (permission instanceof lambda.CfnPermission) permission.sourceAccount = account;
      }
    }
  }
}
