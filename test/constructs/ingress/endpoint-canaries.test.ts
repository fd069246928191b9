import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { EndpointCheck } from '../../../lib/constructs/ingress/endpoint-canaries';
import {
  CANARY_RUNTIME,
  CANARY_USER_AGENT,
  EndpointCanaries,
  canaryScript,
} from '../../../lib/constructs/ingress/endpoint-canaries';
import { bareStack } from '../../support/bare-stack';

const PREFIX = 'logi-prod-ap-southeast-2-ingress';
const BUCKET = 'logi-prod-ap-southeast-2-canary-artifacts';
const CHECKS: EndpointCheck[] = [
  {
    name: 'app',
    url: 'https://app.example.com/documents',
    connectTo: 'lb-1.ap-southeast-2.elb.amazonaws.com',
    expectedStatus: 401,
  },
  {
    name: 'api',
    url: 'https://api.example.com/tenants/canary',
    connectTo: 'd-1.execute-api.ap-southeast-2.amazonaws.com',
    expectedStatus: 401,
  },
];

function build() {
  const stack = bareStack();
  const key = new kms.Key(stack, 'Key');
  const topic = new sns.Topic(stack, 'OnCall');
  new EndpointCanaries(stack, 'Canaries', {
    checks: CHECKS,
    namePrefix: PREFIX,
    target: { topic, namePrefix: PREFIX },
    bucketName: BUCKET,
    accessLogsBucketName: 'logi-prod-ap-southeast-2-access-logs',
    key,
    retentionDays: 30,
  });
  const template = Template.fromStack(stack);
  return {
    template,
    keyId: stack.getLogicalId(key.node.defaultChild as kms.CfnKey),
    topicId: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic),
  };
}

function canary(template: Template, name: string) {
  const found = Object.values(
    template.findResources('AWS::Synthetics::Canary', {
      Properties: { Name: `${PREFIX}-${name}` },
    }),
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

test('one canary per endpoint, every 5 minutes, on the newest Node.js runtime, started', () => {
  const { template } = build();
  template.resourceCountIs('AWS::Synthetics::Canary', 2);
  expect(CANARY_RUNTIME.name).toBe('syn-nodejs-puppeteer-13.0');
  for (const check of CHECKS) {
    const props = canary(template, check.name);
    expect(props).toMatchObject({
      RuntimeVersion: 'syn-nodejs-puppeteer-13.0',
      Schedule: { Expression: 'rate(5 minutes)', DurationInSeconds: '0' },
      StartCanaryAfterCreation: true,
      Code: { Handler: 'index.handler' },
      RunConfig: { TimeoutInSeconds: 60 },
      SuccessRetentionPeriod: 30,
      FailureRetentionPeriod: 30,
    });
    // The inline script (no asset) carries the URL, the regional endpoint and the expected status.
    const script: string = props.Code.Script;
    expect(script).toContain(
      `const CHECK = ${JSON.stringify({
        url: check.url,
        connectTo: check.connectTo,
        expectedStatus: check.expectedStatus,
      })};`,
    );
    expect(props.Code.S3Bucket).toBeUndefined();
  }
});

test('artifacts: own prefix of a private, KMS-encrypted, TLS-only bucket that expires them', () => {
  const { template, keyId } = build();
  const [bucket] = Object.values(template.findResources('AWS::S3::Bucket'));
  expect(bucket.Properties).toMatchObject({
    BucketName: BUCKET,
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        },
      ],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    VersioningConfiguration: { Status: 'Enabled' },
    LifecycleConfiguration: {
      Rules: [{ ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }],
    },
  });
  expect(bucket.DeletionPolicy).toBe('Retain');
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    },
  });
  const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
  for (const check of CHECKS) {
    expect(canary(template, check.name).ArtifactS3Location).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: bucketId }, `/${check.name}`]],
    });
  }
});

test("each canary's role: its own prefix, the key only through S3, no wildcard action", () => {
  const { template } = build();
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(2);
  for (const [i, check] of CHECKS.entries()) {
    const statements = policies[i].Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(actions.sort()).toEqual(
      [
        'cloudwatch:PutMetricData',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetBucketLocation',
        's3:ListAllMyBuckets',
        's3:PutObject',
      ].sort(),
    );
    const put = statements.find((s: { Sid: string }) => s.Sid === 'ArtifactsWrite');
    expect(JSON.stringify(put.Resource)).toContain(`/${check.name}/*`);
    const kmsUse = statements.find((s: { Sid: string }) => s.Sid === 'ArtifactsKey');
    expect(kmsUse.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.ap-southeast-2.amazonaws.com' },
    });
    const metrics = statements.find((s: { Sid: string }) => s.Sid === 'Metrics');
    expect(metrics.Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'CloudWatchSynthetics' },
    });
  }
});

test('an alarm per canary: SuccessPercent < 100 in 2 of 3 periods pages on-call with its runbook', () => {
  const { template, topicId } = build();
  template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  for (const check of CHECKS) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${PREFIX}-${check.name}-canary`,
      Namespace: 'CloudWatchSynthetics',
      MetricName: 'SuccessPercent',
      Dimensions: [{ Name: 'CanaryName', Value: { Ref: Match.anyValue() } }],
      Statistic: 'Average',
      Period: 300,
      Threshold: 100,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
      AlarmDescription: Match.stringLikeRegexp(
        `GET ${check.url.replace(/\//g, '\\/')} .*Runbook: docs/runbooks/alarms\\.md#endpoint-canaries$`,
      ),
    });
  }
});

describe('the inline script against a real HTTPS server', () => {
  const PUBLIC_NAME = 'app.example.test';
  let server: https.Server;
  let ca: Buffer;
  let port: number;
  let status = 401;
  const seen: { host?: string; servername?: string; path?: string; agent?: string }[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-subj', `/CN=${PUBLIC_NAME}`, '-addext', `subjectAltName=DNS:${PUBLIC_NAME}`,
    ], { stdio: 'ignore' }); // prettier-ignore
    ca = readFileSync(join(dir, 'cert.pem'));
    server = https.createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: ca },
      (req, res) => {
        const socket = req.socket as unknown as { servername?: string };
        seen.push({
          host: req.headers.host,
          servername: socket.servername,
          path: req.url,
          agent: req.headers['user-agent'],
        });
        res.statusCode = status;
        res.end('{}');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Run the script as Synthetics would, trusting the test CA and connecting to the test port. */
  async function run(check: EndpointCheck): Promise<void> {
    const httpsForTest = {
      get: (options: https.RequestOptions, callback: (res: IncomingMessage) => void) =>
        https.get({ ...options, port, ca }, callback),
    };
    const logger = { info: () => undefined };
    const modules: Record<string, unknown> = { https: httpsForTest, SyntheticsLogger: logger };
    const exports: { handler?: () => Promise<void> } = {};
    new Function('require', 'exports', canaryScript(check))(
      (name: string) => modules[name],
      exports,
    );
    await exports.handler!();
  }

  const check: EndpointCheck = {
    name: 'app',
    url: `https://${PUBLIC_NAME}/documents?x=1`,
    connectTo: '127.0.0.1',
    expectedStatus: 401,
  };

  test('succeeds on the expected status, sending the public name as SNI and Host, and a User-Agent', async () => {
    status = 401;
    await run(check);
    expect(seen.at(-1)).toEqual({
      host: PUBLIC_NAME,
      servername: PUBLIC_NAME,
      path: '/documents?x=1',
      // Without one, the web ACL's NoUserAgent_HEADER rule answers 403.
      agent: CANARY_USER_AGENT,
    });
  });

  test.each([200, 404, 503])('fails when the endpoint answers %i', async (answer) => {
    status = answer;
    await expect(run(check)).rejects.toThrow(
      `GET ${check.url} via 127.0.0.1 answered ${answer}, expected 401`,
    );
  });

  test('fails when the certificate does not cover the public name', async () => {
    status = 401;
    await expect(run({ ...check, url: 'https://other.example.test/documents' })).rejects.toThrow(
      /altnames|does not match|Hostname\/IP/,
    );
  });
});
