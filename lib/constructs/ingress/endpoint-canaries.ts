import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import {
  acknowledge,
  acknowledgeAll,
  acknowledgeWhile,
  onlyActionsOn,
} from '../../compliance/acknowledge';
import { acknowledgeAccessLogDelivery } from '../core/access-log-delivery';
import type { AlarmTarget } from '../core/on-call-alarm';
import { FIVE_MINUTES, onCallAlarm } from '../core/on-call-alarm';
import { PRIVATE_BUCKET, sendEventsToEventBridge } from '../core/private-bucket';
import { RUNBOOKS } from '../core/runbooks';

/** One public endpoint and the HTTP status it must answer without credentials. */
export interface EndpointCheck {
  /** Short lowercase name, in the canary's and the alarm's names, e.g. `app`, `api`. */
  readonly name: string;
  /** The HTTPS URL requested with GET, e.g. `https://app.example.com/documents`. */
  readonly url: string;
  /**
   * DNS name of this region's own endpoint (the load balancer's, the API domain's regional
   * target). The canary connects there and presents the URL's host name (TLS SNI, certificate
   * check, `Host` header), so each region checks itself whichever region the public name resolves to.
   */
  readonly connectTo: string;
  /** The status that means "up", e.g. 401 for a route that needs a token. */
  readonly expectedStatus: number;
}

export interface EndpointCanariesProps {
  /** The endpoints to check (one canary and one alarm each). */
  readonly checks: readonly EndpointCheck[];
  /** Prefix of the canaries' names, e.g. `logi-prod-ap-southeast-2-ingress` (lowercase). */
  readonly namePrefix: string;
  /** Where the canaries' alarms go. */
  readonly target: AlarmTarget;
  /** Name of the artifacts bucket. */
  readonly bucketName: string;
  /** The region's access-logs bucket (server access logs of the artifacts bucket). */
  readonly accessLogsBucketName: string;
  /** Key of the artifacts bucket and of the objects the canaries write. */
  readonly key: kms.IKey;
  /** Days the canaries' artifacts (logs, HAR files) are kept. */
  readonly retentionDays: number;
  /** Production: the bucket's missing cross-region replication is acknowledged. @default true */
  readonly production?: boolean;
}

/** Runtime of the canaries: the newest Node.js Synthetics runtime of aws-cdk-lib. */
export const CANARY_RUNTIME = synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0;

/** The canaries' User-Agent (on-call can find their requests in the access logs by it). */
export const CANARY_USER_AGENT = 'logi-endpoint-canary/1 (CloudWatch Synthetics)';

/** Milliseconds the GET may take before the run fails. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The canary's script: one HTTPS GET of the URL's path on `connectTo`, with the URL's host name as
 * SNI and `Host` (Node.js verifies the certificate against it), success when the answer has the
 * expected status, failure (the run fails, SuccessPercent drops) otherwise.
 */
export function canaryScript(check: EndpointCheck): string {
  const config = JSON.stringify({
    url: check.url,
    connectTo: check.connectTo,
    expectedStatus: check.expectedStatus,
  });
  return [
    "const https = require('https');",
    "const log = require('SyntheticsLogger');",
    `const CHECK = ${config};`,
    'exports.handler = async () => {',
    '  const url = new URL(CHECK.url);',
    '  const request = {',
    '    host: CHECK.connectTo,',
    '    servername: url.hostname,',
    '    path: url.pathname + url.search,',
    // The web ACL's common rule set blocks requests without a User-Agent (NoUserAgent_HEADER).
    `    headers: { host: url.hostname, 'user-agent': '${CANARY_USER_AGENT}' },`,
    `    timeout: ${REQUEST_TIMEOUT_MS},`,
    '  };',
    '  const status = await new Promise((resolve, reject) => {',
    '    const req = https.get(request, (res) => {',
    '      res.resume();',
    '      resolve(res.statusCode);',
    '    });',
    `    req.on('timeout', () => req.destroy(new Error('no answer within ${REQUEST_TIMEOUT_MS} ms')));`,
    "    req.on('error', reject);",
    '  });',
    '  if (status !== CHECK.expectedStatus) {',
    '    throw new Error(',
    '      `GET ${CHECK.url} via ${CHECK.connectTo} answered ${status}, expected ${CHECK.expectedStatus}`,',
    '    );',
    '  }',
    '  log.info(`GET ${CHECK.url} via ${CHECK.connectTo} answered ${status} as expected`);',
    '};',
    '',
  ].join('\n');
}

/**
 * CloudWatch Synthetics canaries on the region's public endpoints, every 5 minutes from inside the
 * region: each GETs its URL on the region's own endpoint and succeeds only on the expected status; artifacts go to a private,
 * KMS-encrypted, TLS-only bucket that expires them. One alarm per canary pages on-call when
 * SuccessPercent is below 100 in 2 of 3 periods (a canary that stops reporting is breaching).
 */
export class EndpointCanaries extends Construct {
  readonly bucket: s3.Bucket;
  readonly canaries: synthetics.Canary[] = [];
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: EndpointCanariesProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Artifacts', {
      bucketName: props.bucketName,
      ...PRIVATE_BUCKET,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: s3.Bucket.fromBucketName(
        this,
        'AccessLogs',
        props.accessLogsBucketName,
      ),
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules: [
        {
          id: 'expire-artifacts',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    sendEventsToEventBridge(this.bucket);
    this.acknowledgeBucketFindings(props.production ?? true);

    for (const check of props.checks) {
      const role = this.canaryRole(check.name, props.key);
      const canary = new synthetics.Canary(this, `Canary-${check.name}`, {
        canaryName: `${props.namePrefix}-${check.name}`,
        runtime: CANARY_RUNTIME,
        test: synthetics.Test.custom({
          code: synthetics.Code.fromInline(canaryScript(check)),
          handler: 'index.handler',
        }),
        schedule: synthetics.Schedule.rate(FIVE_MINUTES),
        timeout: Duration.minutes(1),
        role,
        artifactsBucketLocation: { bucket: this.bucket, prefix: check.name },
        // No artifact encryption setting: the bucket's default (SSE-KMS with `key`) encrypts what
        // the canary puts, and its role may use the key only through S3 (the L2's setting would
        // grant kms:ReEncrypt* and kms:GenerateDataKey* on the key as well).
        successRetentionPeriod: Duration.days(props.retentionDays),
        failureRetentionPeriod: Duration.days(props.retentionDays),
        provisionedResourceCleanup: true,
      });
      // The role's policy exists before the canary's first run.
      canary.node.addDependency(role.node.findChild('DefaultPolicy'));
      this.canaries.push(canary);
      this.alarms.push(
        onCallAlarm(this, `Alarm-${check.name}`, props.target, {
          name: `${check.name}-canary`,
          summary:
            `The ${check.name} canary's GET ${check.url} on this region's endpoint did not answer ` +
            `${check.expectedStatus} in 2 of the last 3 five-minute periods`,
          runbook: RUNBOOKS.endpointCanaries,
          metric: canary.metricSuccessPercent({ period: FIVE_MINUTES, statistic: 'Average' }),
          threshold: 100,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
    }
  }

  /**
   * The role of one canary: what the Synthetics runtime needs and nothing else. Objects only under
   * the canary's own prefix, the key only through S3, metrics only in `CloudWatchSynthetics`.
   */
  private canaryRole(name: string, key: kms.IKey): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, `Role-${name}`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${name} endpoint canary`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListBuckets',
        actions: ['s3:ListAllMyBuckets'],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ArtifactsBucket',
        actions: ['s3:GetBucketLocation'],
        resources: [this.bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ArtifactsWrite',
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${name}/*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ArtifactsKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Metrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'CloudWatchSynthetics' } },
      }),
    );
    const logGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: '/aws/lambda/cwsyn-*',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroups],
      }),
    );
    const policy = role.node.findChild('DefaultPolicy');
    acknowledgeWhile(
      policy,
      'AwsSolutions',
      'AwsSolutions-IAM5[Resource::*]',
      'Only actions without resource-level permissions: s3:ListAllMyBuckets, which the Synthetics ' +
        'runtime calls before it writes artifacts (it reads no bucket with it), and ' +
        'cloudwatch:PutMetricData, limited by condition to the CloudWatchSynthetics namespace.',
      onlyActionsOn('*', ['s3:ListAllMyBuckets', 'cloudwatch:PutMetricData']),
    );
    acknowledgeWhile(
      policy,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${name}/*]`,
      `PutObject only, in this canary's own prefix ${name}/ of the artifacts bucket: each run ` +
        'writes new object keys (run time and id) that cannot be listed in advance.',
      onlyActionsOn(stack.resolve(this.bucket.arnForObjects(`${name}/*`)), ['s3:PutObject']),
    );
    acknowledge(
      policy,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::${logGroups}]`,
      "Log group creation and log writes only, to the log groups of this account and region's " +
        'Synthetics functions: ' +
        'Synthetics names the function (cwsyn-<canary>-<generated id>) when it creates the canary, ' +
        'so the name is not known when the role is written.',
    );
    acknowledge(
      policy,
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "Inline policy of this canary's own role, each statement naming what it may touch; it " +
        'cannot be attached to anything else and is removed with the role.',
    );
    return role;
  }

  private acknowledgeBucketFindings(production: boolean): void {
    const bucket = this.bucket;
    acknowledgeAccessLogDelivery(bucket);
    const regional =
      "Canary artifacts are short-lived evidence of this region's own checks (the other region " +
      'has its own canaries and bucket), expired after the log retention; the bucket is ' +
      'versioned, KMS-encrypted and retained on stack deletion, and SuccessPercent is kept in ' +
      'CloudWatch metrics independently of it.';
    const findings: [Parameters<typeof acknowledgeAll>[1][number][0], string][] = [
      ['ISO.27001.2022', 'ISO.27001.2022-S3BucketInBackupSelection'],
      ['NIST.800.53.R5', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
    ];
    if (production) {
      findings.push(['ISO.27001.2022', 'ISO.27001.2022-S3CrossRegionReplication']);
    }
    acknowledgeAll(bucket, findings, regional);
    const noLock =
      'The artifacts are diagnostic screenshots, HAR files and logs that expire after the log ' +
      'retention, not records to keep immutable; versioning keeps an overwritten or deleted object ' +
      "for one day, and the canaries' roles may only put objects under their own prefixes.";
    acknowledgeAll(
      bucket,
      [
        ['cdk-validator-cfnguard', 's3_bucket_object_lock_enabled_check'],
        ['ISO.27001.2022', 'ISO.27001.2022-S3ObjectLockRetention'],
      ],
      noLock,
    );
  }
}
