type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A resource of the platform: `<stack id>/<logical id>`. */
export type ResourceKey = string;

/** One egress rule of a security group, wherever it is written (inline or its own resource). */
export interface EgressRule {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidr?: string;
  /** The resource a `DestinationPrefixListId` comes from (a deploy-time lookup). */
  readonly prefixList?: ResourceKey;
  readonly group?: ResourceKey;
  readonly description?: string;
}

/**
 * Reads security groups and their rules across every template of the cloud assembly, resolving
 * `Fn::GetAtt` and cross-stack `Fn::GetStackOutput` references to the resource they name.
 */
export class TemplateNetwork {
  constructor(private readonly all: Record<string, Json>) {}

  resources(stack: string): Record<string, Json> {
    return (this.all[stack]?.Resources ?? {}) as Record<string, Json>;
  }

  /** Every resource of a type, with its key. */
  ofType(type: string): [ResourceKey, Json, string][] {
    return Object.keys(this.all).flatMap((stack) =>
      Object.entries(this.resources(stack))
        .filter(([, r]) => r.Type === type)
        .map(([id, r]) => [`${stack}/${id}`, r, stack] as [ResourceKey, Json, string]),
    );
  }

  /** The resources a value refers to (GetAtt, Ref, GetStackOutput, inside Join or lists). */
  refsIn(stack: string, value: unknown): ResourceKey[] {
    if (Array.isArray(value)) return value.flatMap((v) => this.refsIn(stack, v));
    if (!value || typeof value !== 'object') return [];
    const v = value as Json;
    if (v['Fn::GetAtt']) return [`${stack}/${v['Fn::GetAtt'][0]}`];
    if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::')) return [`${stack}/${v.Ref}`];
    if (v['Fn::GetStackOutput']) {
      const { StackName, OutputName } = v['Fn::GetStackOutput'];
      const output = this.all[StackName]?.Outputs?.[OutputName];
      if (!output) throw new Error(`${stack}: no output ${OutputName} in ${StackName}`);
      return this.refsIn(StackName, output.Value);
    }
    return Object.values(v).flatMap((inner) => this.refsIn(stack, inner));
  }

  /** The one resource a value refers to. */
  refIn(stack: string, value: unknown): ResourceKey | undefined {
    const refs = this.refsIn(stack, value);
    return refs.length === 1 ? refs[0] : undefined;
  }

  resource(key: ResourceKey): Json | undefined {
    const [stack, id] = key.split('/');
    return this.resources(stack)[id];
  }

  /** Every egress rule of a group: inline ones and `AWS::EC2::SecurityGroupEgress` in any stack. */
  egressOf(group: ResourceKey): EgressRule[] {
    const [stack] = group.split('/');
    const rule = (where: string, r: Json): EgressRule => ({
      protocol: String(r.IpProtocol),
      fromPort: r.FromPort,
      toPort: r.ToPort,
      cidr: r.CidrIp ?? r.CidrIpv6,
      prefixList: r.DestinationPrefixListId
        ? this.refIn(where, r.DestinationPrefixListId)
        : undefined,
      group: r.DestinationSecurityGroupId
        ? this.refIn(where, r.DestinationSecurityGroupId)
        : undefined,
      description: r.Description,
    });
    const inline = ((this.resource(group)?.Properties?.SecurityGroupEgress ?? []) as Json[])
      .filter((r) => r.CidrIp !== '255.255.255.255/32') // the CDK's "no egress" marker
      .map((r) => rule(stack, r));
    const separate = this.ofType('AWS::EC2::SecurityGroupEgress')
      .filter(([, r, where]) => this.refIn(where, r.Properties.GroupId) === group)
      .map(([, r, where]) => rule(where, r.Properties));
    return [...inline, ...separate];
  }

  /**
   * Whether EC2's default allow-all egress rule stays on a group: it is created with the group
   * when the group has no inline egress, and CloudFormation removes it only when an egress rule
   * is added (inline or as an `AWS::EC2::SecurityGroupEgress`).
   */
  keepsDefaultEgress(group: ResourceKey): boolean {
    const inline = this.resource(group)?.Properties?.SecurityGroupEgress as Json[] | undefined;
    if (inline && inline.length > 0) return false;
    return !this.ofType('AWS::EC2::SecurityGroupEgress').some(
      ([, r, where]) => this.refIn(where, r.Properties.GroupId) === group,
    );
  }

  /** The groups whose members `group` admits on `port` (ingress by source group). */
  admittedOn(group: ResourceKey, port: number): ResourceKey[] {
    const [stack] = group.split('/');
    const inline = ((this.resource(group)?.Properties?.SecurityGroupIngress ?? []) as Json[]).map(
      (r) => [stack, r] as const,
    );
    const separate = this.ofType('AWS::EC2::SecurityGroupIngress')
      .filter(([, r, where]) => this.refIn(where, r.Properties.GroupId) === group)
      .map(([, r, where]) => [where, r.Properties] as const);
    return [...inline, ...separate]
      .filter(([, r]) => r.SourceSecurityGroupId && covers(r, port))
      .map(([where, r]) => this.refIn(where, r.SourceSecurityGroupId))
      .filter((k): k is string => k !== undefined);
  }
}

/** Whether a rule (CloudFormation shape) covers a TCP port. */
export function covers(
  r: { IpProtocol?: unknown; FromPort?: number; ToPort?: number },
  port: number,
) {
  if (String(r.IpProtocol) === '-1') return true;
  return r.IpProtocol === 'tcp' && (r.FromPort ?? 0) <= port && port <= (r.ToPort ?? 65535);
}

/** Whether an egress rule covers a TCP port. */
export function ruleCovers(rule: EgressRule, port: number): boolean {
  return covers({ IpProtocol: rule.protocol, FromPort: rule.fromPort, ToPort: rule.toPort }, port);
}
