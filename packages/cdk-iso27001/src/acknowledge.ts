import { Annotations, AspectPriority, Aspects, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The plugins whose findings can be acknowledged, by the namespace the CDK report uses. */
export type FindingSource =
  | 'AwsSolutions'
  | 'NIST.800.53.R5'
  | 'HIPAA.Security'
  | 'PCI.DSS.321'
  | 'ISO.27001.2022'
  | 'cdk-validator-cfnguard'
  | 'CloudFormation-Validate'
  | 'Annotation';

const MIN_REASON_LENGTH = 60;

/** Who answers for an acknowledgement and until when it holds. */
export interface AcknowledgeOptions {
  /** Who answers for the compensating control (a team or role), e.g. `platform-security`. */
  readonly owner?: string;
  /**
   * The last day the acknowledgement holds, `YYYY-MM-DD` (UTC). From the next day on it no longer
   * suppresses the finding: the finding is open again and fails synth like any open finding, and
   * a warning on the resource says which acknowledgement expired.
   */
  readonly expires?: string;
  /** The clock the expiry is compared with. @default the time of the synth */
  readonly now?: Date;
}

/** The id of the warning an expired acknowledgement leaves on its resource. */
export const EXPIRED_ACKNOWLEDGEMENT = 'compliance:acknowledgement-expired';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant an acknowledgement expiring on `day` stops holding: the start of the next UTC day. */
function endOfDay(day: string, where: string): number {
  const m = DAY.exec(day);
  const end = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1) : NaN;
  if (!m || new Date(end - 1).toISOString().slice(0, 10) !== day) {
    throw new Error(`${where}: expires must be a date YYYY-MM-DD (UTC), got '${day}'.`);
  }
  return end;
}

/**
 * The reason as it is recorded: the compensating control, then owner and expiry in brackets,
 * e.g. `... [owner: platform-security] [expires: 2027-03-31]`. The report reads them back
 * (`parseAcknowledgementReason`).
 */
export function recordedReason(reason: string, options: AcknowledgeOptions = {}): string {
  const owner = options.owner ? ` [owner: ${options.owner}]` : '';
  const expires = options.expires ? ` [expires: ${options.expires}]` : '';
  return `${reason.trim()}${owner}${expires}`;
}

/** The compensating control, owner and expiry of a recorded reason. */
export function parseAcknowledgementReason(recorded: string): {
  readonly reason: string;
  readonly owner?: string;
  readonly expires?: string;
} {
  let rest = recorded.trim();
  const take = (key: string): string | undefined => {
    const m = new RegExp(`\\s*\\[${key}: ([^\\]]+)\\]$`).exec(rest);
    if (!m) return undefined;
    rest = rest.slice(0, m.index).trimEnd();
    return m[1].trim();
  };
  const expires = take('expires');
  const owner = take('owner');
  return { reason: rest, ...(owner ? { owner } : {}), ...(expires ? { expires } : {}) };
}

/**
 * Acknowledge one finding on one resource, with the compensating control as the reason.
 *
 * - `target` must be a CloudFormation resource, or an L2 construct whose default child is one:
 *   the acknowledgement sits on that resource only, never on a stack or a subtree.
 * - `finding` is the exact rule id as the report shows it, e.g. `AwsSolutions-IAM5[Action::s3:*]`
 *   or `lambda_inside_vpc_check`.
 * - The reason states the compensating control; short reasons are refused.
 *
 * - `options` may name an owner and an expiry date; an expired acknowledgement suppresses nothing
 *   (see `AcknowledgeOptions.expires`).
 *
 * The id is qualified with its plugin namespace, so the finding stays in `validation-report.json`
 * as acknowledged (with its reason) instead of disappearing.
 */
export function acknowledge(
  target: IConstruct,
  source: FindingSource,
  finding: string,
  reason: string,
  options: AcknowledgeOptions = {},
): void {
  // A construct annotation is raised on the construct itself; every other finding on a resource.
  const resource =
    source === 'Annotation' || CfnResource.isCfnResource(target)
      ? target
      : target.node.defaultChild;
  if (!resource || (source !== 'Annotation' && !CfnResource.isCfnResource(resource))) {
    throw new Error(
      `acknowledge(${finding}) on ${target.node.path}: not a CloudFormation resource. ` +
        'Acknowledge on the one resource the finding concerns.',
    );
  }
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `acknowledge(${finding}) on ${resource.node.path}: the reason must state the compensating ` +
        `control in at least ${MIN_REASON_LENGTH} characters.`,
    );
  }
  const id = `${source}::${finding}`;
  const where = `acknowledge(${finding}) on ${resource.node.path}`;
  if (options.owner !== undefined && !options.owner.trim()) {
    throw new Error(`${where}: owner is empty; name the team or role, or leave it out.`);
  }
  if (options.expires !== undefined) {
    const end = endOfDay(options.expires, where);
    if ((options.now ?? new Date()).getTime() >= end) {
      const owner = options.owner ? ` (owner: ${options.owner})` : '';
      Annotations.of(resource).addWarningV2(
        EXPIRED_ACKNOWLEDGEMENT,
        `Acknowledgement of ${id} expired on ${options.expires}${owner}: the finding is open ` +
          'again. Fix it, or review the compensating control and renew the acknowledgement ' +
          'with a new expiry date.',
      );
      return;
    }
  }
  Validations.of(resource).acknowledge({ id, reason: recordedReason(reason, options) });
}

/**
 * Acknowledge several findings on one resource with the one compensating control that answers
 * them all, e.g. a regional log bucket's "no replication" findings of three packs.
 */
export function acknowledgeAll(
  target: IConstruct,
  findings: readonly (readonly [FindingSource, string])[],
  reason: string,
  options: AcknowledgeOptions = {},
): void {
  for (const [source, finding] of findings) acknowledge(target, source, finding, reason, options);
}

/**
 * An ARN as cdk-nag writes it in a granular IAM finding id: the partition as the
 * `<AWS::Partition>` token the template has, e.g. `arnWithPartition('iam::aws:policy/x')` is
 * `arn:<AWS::Partition>:iam::aws:policy/x`.
 */
export function arnWithPartition(rest: string): string {
  return `arn:<AWS::Partition>:${rest}`;
}

/** `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:<rest>]`: a wildcard in a resource ARN. */
export function iamWildcardResource(rest: string): string {
  return `AwsSolutions-IAM5[Resource::${arnWithPartition(rest)}]`;
}

/** `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/<name>]`: an AWS managed policy. */
export function awsManagedPolicy(name: string): string {
  return `AwsSolutions-IAM4[Policy::${arnWithPartition(`iam::aws:policy/${name}`)}]`;
}

/** The id of the warning an acknowledgement whose claim no longer holds leaves on its resource. */
export const WITHDRAWN_ACKNOWLEDGEMENT = 'compliance:acknowledgement-withdrawn';

/**
 * What a reason claims of its resource, checked on the resource's synthesized properties
 * (CloudFormation names, tokens resolved): `undefined` while the claim holds, otherwise what
 * breaks it, e.g. `ingress tcp 22 from 0.0.0.0/0`.
 */
export type AcknowledgementClaim = (properties: Record<string, unknown>) => string | undefined;

/**
 * `acknowledge()`, but only while `claim` holds on the synthesized resource: for a finding id that
 * names no detail (cdk-nag's `AwsSolutions-EC23`, `IAMPolicyNoStatementsWithFullAccess`, the
 * `IAM5[Resource::*]` of a role) and so would also silence a later, different violation on the
 * same resource (another open port, another wildcard grant). The claim is checked when the app
 * synthesizes, after every grant and rule has been added; if it no longer holds, the finding is
 * not acknowledged (it is open and fails synth) and a warning on the resource names what broke it.
 */
export function acknowledgeWhile(
  target: IConstruct,
  source: FindingSource,
  finding: string,
  reason: string,
  claim: AcknowledgementClaim,
  options: AcknowledgeOptions = {},
): void {
  const resource = CfnResource.isCfnResource(target) ? target : target.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(
      `acknowledgeWhile(${finding}) on ${target.node.path}: not a CloudFormation resource. ` +
        'Acknowledge on the one resource the finding concerns.',
    );
  }
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `acknowledge(${finding}) on ${resource.node.path}: the reason must state the compensating ` +
        `control in at least ${MIN_REASON_LENGTH} characters.`,
    );
  }
  Aspects.of(resource).add(
    {
      visit(node) {
        if (node !== resource) return;
        const broken = claim(synthesizedProperties(resource));
        if (broken === undefined) {
          acknowledge(resource, source, finding, reason, options);
          return;
        }
        Annotations.of(resource).addWarningV2(
          WITHDRAWN_ACKNOWLEDGEMENT,
          `Acknowledgement of ${source}::${finding} withdrawn: its reason no longer holds ` +
            `(${broken}), so the finding is open. Remove what broke it, or acknowledge the new ` +
            'finding with its own compensating control.',
        );
      },
    },
    { priority: AspectPriority.READONLY },
  );
}

/** The resource's properties as the template will have them. */
function synthesizedProperties(resource: CfnResource): Record<string, unknown> {
  const rendered = Stack.of(resource).resolve(
    (resource as unknown as { _toCloudFormation(): object })._toCloudFormation(),
  ) as { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  return Object.values(rendered.Resources ?? {})[0]?.Properties ?? {};
}

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The Allow statements of a policy resource's document (`PolicyDocument`). */
function allowStatements(properties: Record<string, unknown>): Record<string, unknown>[] {
  const document = properties.PolicyDocument as { Statement?: unknown } | undefined;
  return asList(document?.Statement).filter(
    (s): s is Record<string, unknown> =>
      typeof s === 'object' && s !== null && (s as { Effect?: unknown }).Effect === 'Allow',
  );
}

/**
 * Claim for a wildcard-resource finding (`IAM5[Resource::<resource>]`): the policy allows on
 * `resource` only `actions`. A later grant of another action on the same resource breaks it.
 * `resource` is the ARN as the template has it: a string, or a resolved token such as
 * `Stack.of(scope).resolve(bucket.arnForObjects('*'))`.
 */
export function onlyActionsOn(resource: unknown, actions: readonly string[]): AcknowledgementClaim {
  const allowed = new Set(actions);
  const wanted = JSON.stringify(resource);
  const shown = typeof resource === 'string' ? resource : wanted;
  return (properties) => {
    const extra = allowStatements(properties)
      .filter((s) => asList(s.Resource).some((r) => JSON.stringify(r) === wanted))
      .flatMap((s) => asList(s.Action).map(String))
      .filter((action) => !allowed.has(action));
    return extra.length === 0 ? undefined : `allows ${[...new Set(extra)].join(', ')} on ${shown}`;
  };
}

/**
 * Claim for a full-access finding (`IAMPolicyNoStatementsWithFullAccess`): no Allow statement
 * has a service-wide action (`*` or `<service>:*`); service-wide actions are in Deny statements only.
 */
export const serviceWideActionsOnlyDenied: AcknowledgementClaim = (properties) => {
  const wide = allowStatements(properties)
    .flatMap((s) => asList(s.Action).map(String))
    .filter((action) => action === '*' || action.endsWith(':*'));
  return wide.length === 0
    ? undefined
    : `an Allow statement grants ${[...new Set(wide)].join(', ')}`;
};

/** One rule of a security group's inline `SecurityGroupIngress`, as the claim reads it. */
export interface IngressPermission {
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
}

/**
 * Claim for an open-ingress finding (`AwsSolutions-EC23`) on a security group: the rules that admit
 * the internet (`0.0.0.0/0`, `::/0`) are exactly `permitted` (protocol and port range). A later rule
 * that opens another port or protocol to the internet breaks it.
 */
export function internetIngressOnly(permitted: readonly IngressPermission[]): AcknowledgementClaim {
  const key = (protocol: unknown, from: unknown, to: unknown) =>
    `${String(protocol).toLowerCase()} ${String(from)}-${String(to)}`;
  const allowed = new Set(permitted.map((p) => key(p.protocol, p.fromPort, p.toPort)));
  return (properties) => {
    const open = asList(properties.SecurityGroupIngress)
      .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
      .filter((r) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0')
      .map((r) => key(r.IpProtocol, r.FromPort, r.ToPort))
      .filter((rule) => !allowed.has(rule));
    return open.length === 0 ? undefined : `ingress ${open.join(', ')} from the internet`;
  };
}
