import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { contract } from '../../lambda/tenant-status/contract';
import { TraceCollector } from '../../lib/constructs/compute/trace-collector';
import { PlatformFunction } from '../../lib/constructs/core/platform-function';
import { PublicLoadBalancer } from '../../lib/constructs/ingress/public-load-balancer';
import { ArchiveAuditor } from '../../lib/constructs/lifecycle/archive-auditor';
import { TenantFileAccess } from '../../lib/constructs/storage/tenant-file-access';
import { UploadMalwareScan } from '../../lib/constructs/storage/upload-malware-scan';
import { testApp } from '../support/app';
import { TEST_ACCOUNT, TEST_REGION } from '../support/bare-stack';

/**
 * Acknowledgements whose finding id names no detail (AwsSolutions-EC23, the NIST full-access rule,
 * IAM5[Resource::*], or an IAM5 resource id whose reason limits the actions) hold only while the claim of their reason holds (`acknowledgeWhile`): a
 * later, different violation on the same resource (another open port, an s3:* grant, another
 * action on '*') must leave the finding open. Each case builds the real construct on a bare stack,
 * adds the regression, and reads the findings from validation-report.json as synth writes it.
 * With the previous, unconditional acknowledgement each regression case fails: the finding is
 * listed as acknowledged instead of open.
 */

interface Findings {
  /** `<rule>@<construct path>` of every open finding. */
  readonly open: string[];
  /** `<rule>@<construct path>` of every acknowledged finding. */
  readonly acknowledged: string[];
}

interface ReportConstruct {
  readonly constructPath: string;
}
interface Report {
  pluginReports: {
    violations: { ruleName: string; violatingConstructs: ReportConstruct[] }[];
    suppressedViolations?: { ruleName: string; acknowledgedAt: string }[];
  }[];
}

function bare(): { app: App; stack: Stack; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'narrowed-ack-'));
  const app = testApp({ outdir });
  const stack = new Stack(app, 'Test', { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
  return { app, stack, outdir };
}

/** Synthesizes with the AwsSolutions and NIST packs and reads the findings of the report. */
function findings(app: App, outdir: string): Findings {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  try {
    app.synth();
  } catch {
    // Open findings of other rules fail synth; the report is written either way.
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report;
  return {
    open: report.pluginReports.flatMap((p) =>
      p.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => `${v.ruleName}@${c.constructPath}`),
      ),
    ),
    acknowledged: report.pluginReports.flatMap((p) =>
      (p.suppressedViolations ?? []).map((s) => `${s.ruleName}@${s.acknowledgedAt}`),
    ),
  };
}

function vpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b'],
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
}

describe('the load balancer group acknowledges AwsSolutions-EC23 only for 443 and 80', () => {
  function build(extra?: (lb: PublicLoadBalancer) => void): Findings {
    const { app, stack, outdir } = bare();
    const lb = new PublicLoadBalancer(stack, 'Public', {
      vpc: vpc(stack),
      subnets: { subnetGroupName: 'Ingress' },
      certificateArn: `arn:aws:acm:${TEST_REGION}:${TEST_ACCOUNT}:certificate/abc`,
      accessLogsBucket: new s3.Bucket(stack, 'AlbLogs'),
      deletionProtection: true,
    });
    extra?.(lb);
    return findings(app, outdir);
  }
  const finding = 'AwsSolutions-EC23@Test/Public/SecurityGroup/Resource';

  it('as built: 443 and 80 from anywhere, acknowledged', () => {
    const { open, acknowledged } = build();
    expect(acknowledged).toContain(finding);
    expect(open).not.toContain(finding);
  });

  it('another port open to the internet (SSH) leaves the finding open', () => {
    const { open, acknowledged } = build((lb) =>
      lb.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'a later mistake'),
    );
    expect(open).toContain(finding);
    expect(acknowledged).not.toContain(finding);
  });

  it('443 over IPv6 as well is still only 443: acknowledged', () => {
    const { open } = build((lb) =>
      lb.securityGroup.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443), 'HTTPS over IPv6'),
    );
    expect(open).not.toContain(finding);
  });
});

describe('the tenant file policy acknowledges the NIST full-access finding only for its Deny', () => {
  function build(extra?: (access: TenantFileAccess, bucket: s3.Bucket) => void): Findings {
    const { app, stack, outdir } = bare();
    const bucket = new s3.Bucket(stack, 'Files', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: new kms.Key(stack, 'FilesKey'),
    });
    const access = new TenantFileAccess(stack, 'TenantFileAccess', { bucket, allowWrite: true });
    extra?.(access, bucket);
    return findings(app, outdir);
  }
  const finding =
    'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess@Test/TenantFileAccess/Policy/Resource';

  it('as built: s3:* only in the Deny for untagged sessions, acknowledged', () => {
    const { open, acknowledged } = build();
    expect(acknowledged).toContain(finding);
    expect(open).not.toContain(finding);
  });

  it('an Allow of s3:* added later leaves the finding open', () => {
    const { open, acknowledged } = build((access, bucket) =>
      access.policy.addStatements(
        new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.arnForObjects('*')] }),
      ),
    );
    expect(open).toContain(finding);
    expect(acknowledged).not.toContain(finding);
  });
});

describe("a platform function's role acknowledges IAM5[Resource::*] only for X-Ray and VPC networking", () => {
  function build(extra?: (fn: PlatformFunction) => void): Findings {
    const { app, stack, outdir } = bare();
    const network = vpc(stack);
    const fn = new PlatformFunction(stack, 'Status', {
      contract,
      description: 'test function',
      environment: { TABLE_NAME: 'registry' },
      logsKey: new kms.Key(stack, 'LogsKey'),
      logRetention: logs.RetentionDays.ONE_YEAR,
      invocation: 'api',
      vpc: network,
      securityGroup: new ec2.SecurityGroup(stack, 'Group', { vpc: network }),
    });
    extra?.(fn);
    return findings(app, outdir);
  }
  const finding = 'AwsSolutions-IAM5[Resource::*]@Test/Status/Role/DefaultPolicy/Resource';

  it('as built: xray and the network-interface actions on *, acknowledged', () => {
    const { open, acknowledged } = build();
    expect(acknowledged).toContain(finding);
    expect(open).not.toContain(finding);
  });

  it('a later grant of another action on * (kms:Decrypt) leaves the finding open', () => {
    const { open, acknowledged } = build((fn) =>
      fn.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }),
      ),
    );
    expect(open).toContain(finding);
    expect(acknowledged).not.toContain(finding);
  });
});

describe("a service's trace collector acknowledges IAM5[Resource::*] only for its two X-Ray writes", () => {
  function build(extra?: (collector: TraceCollector) => void): Findings {
    const { app, stack, outdir } = bare();
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    const collector = new TraceCollector(stack, 'Collector', {
      taskDefinition,
      taskRole: taskDefinition.taskRole,
      logGroupName: '/test/collector',
      logsKey: new kms.Key(stack, 'LogsKey'),
      logRetention: logs.RetentionDays.ONE_YEAR,
    });
    extra?.(collector);
    return findings(app, outdir);
  }
  const finding = 'AwsSolutions-IAM5[Resource::*]@Test/Collector/Policy/Resource';

  it('as built: xray:PutTraceSegments and xray:PutTelemetryRecords on *, acknowledged', () => {
    const { open, acknowledged } = build();
    expect(acknowledged).toContain(finding);
    expect(open).not.toContain(finding);
  });

  it('a later grant of another action on * (xray:GetTraceSummaries) leaves the finding open', () => {
    const { open, acknowledged } = build((collector) =>
      collector.policy.addStatements(
        new iam.PolicyStatement({ actions: ['xray:GetTraceSummaries'], resources: ['*'] }),
      ),
    );
    expect(open).toContain(finding);
    expect(acknowledged).not.toContain(finding);
  });
});

describe('IAM5 on a resource ARN whose reason limits the actions holds only for those actions', () => {
  it('the malware scan role: as built acknowledged; deleting versions added later leaves it open', () => {
    const build = (extra: boolean): Findings => {
      const { app, stack, outdir } = bare();
      const key = new kms.Key(stack, 'Key');
      const bucket = new s3.Bucket(stack, 'Files', { encryptionKey: key });
      const scan = new UploadMalwareScan(stack, 'Scan', {
        bucket,
        key,
        uploadSource: 'tenant-apps',
      });
      if (extra) {
        scan.policy.addStatements(
          new iam.PolicyStatement({
            actions: ['s3:DeleteObjectVersion'],
            resources: [bucket.arnForObjects('*')],
          }),
        );
      }
      return findings(app, outdir);
    };
    const finding = (f: Findings) =>
      [...f.open, ...f.acknowledged].find((x) =>
        /^AwsSolutions-IAM5\[Resource::<Files[0-9A-F]+\.Arn>\/\*\]@Test\/Scan\/Policy\/Resource$/.test(
          x,
        ),
      );
    const asBuilt = build(false);
    expect(asBuilt.acknowledged).toContain(finding(asBuilt));
    const later = build(true);
    expect(later.open).toContain(finding(later));
    expect(later.acknowledged).not.toContain(finding(later));
  });

  it('the archive auditor: as built acknowledged; a write added later leaves it open', () => {
    const build = (extra: boolean): Findings => {
      const { app, stack, outdir } = bare();
      const archiveBucket = new s3.Bucket(stack, 'Archive', {
        encryptionKey: new kms.Key(stack, 'ArchiveKey'),
      });
      const auditor = new ArchiveAuditor(stack, 'Auditor', {
        roleName: 'logi-prod-archive-auditor',
        archiveBucket,
      });
      if (extra) {
        (auditor.node.findChild('ReadArchive') as iam.ManagedPolicy).addStatements(
          new iam.PolicyStatement({
            actions: ['s3:PutObject'],
            resources: [archiveBucket.arnForObjects('archive/*')],
          }),
        );
      }
      return findings(app, outdir);
    };
    const finding = (f: Findings) =>
      [...f.open, ...f.acknowledged].find((x) =>
        /^AwsSolutions-IAM5\[Resource::<Archive[0-9A-F]+\.Arn>\/archive\/\*\]@Test\/Auditor\/ReadArchive\/Resource$/.test(
          x,
        ),
      );
    const asBuilt = build(false);
    expect(asBuilt.acknowledged).toContain(finding(asBuilt));
    const later = build(true);
    expect(later.open).toContain(finding(later));
    expect(later.acknowledged).not.toContain(finding(later));
  });
});
