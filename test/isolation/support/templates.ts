import { stackJson } from '../../support/default-platform';

export const ACCOUNT = '333333333333';
export const REGION = 'ap-southeast-2';

export type Json = unknown;
export interface CfnTemplate {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, Json> }>;
  readonly Outputs?: Record<string, { Value: Json; Export?: { Name: string } }>;
}

/**
 * The production primary region's Security, Ingress and Storage templates, from the run's shared
 * synth of the default platform (the real `cdk synth`, every validator on).
 */
export function productionTemplates(): Record<'security' | 'ingress' | 'storage', CfnTemplate> {
  const json = (component: string) =>
    stackJson(`prod-apse2-${component}`) as unknown as CfnTemplate;
  return { security: json('Security'), ingress: json('Ingress'), storage: json('Storage') };
}

/**
 * Resolves the intrinsics these templates use to concrete strings: pseudo parameters, `Ref` to a
 * resource (its logical id stands for its physical id), `Fn::GetAtt` (`<id>.<attribute>`, or an
 * ARN for roles), `Fn::Join`, and `Fn::GetStackOutput` / `Fn::ImportValue` of an output of one of `exporters`.
 */
export function resolver(own: CfnTemplate, exporters: readonly CfnTemplate[] = []) {
  const resolve = (value: Json, template: CfnTemplate = own): Json => {
    if (Array.isArray(value)) return value.map((v) => resolve(v, template));
    if (value === null || typeof value !== 'object') return value;
    const node = value as Record<string, Json>;
    if ('Ref' in node) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::Region': REGION,
        'AWS::AccountId': ACCOUNT,
        'AWS::URLSuffix': 'amazonaws.com',
      };
      return pseudo[node.Ref as string] ?? String(node.Ref);
    }
    if ('Fn::GetAtt' in node) {
      const [id, attribute] = node['Fn::GetAtt'] as [string, string];
      const type = template.Resources[id]?.Type;
      if (type === 'AWS::IAM::Role' && attribute === 'Arn') {
        return `arn:aws:iam::${ACCOUNT}:role/${id}`;
      }
      if (type === 'AWS::S3::Bucket' && attribute === 'Arn') {
        return `arn:aws:s3:::${String(template.Resources[id].Properties?.BucketName ?? id)}`;
      }
      if (type === 'AWS::KMS::Key' && attribute === 'Arn') {
        return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
      }
      if (type === 'AWS::Cognito::UserPool' && attribute === 'ProviderURL') {
        return `https://cognito-idp.${REGION}.amazonaws.com/${id}`;
      }
      return `${id}.${attribute}`;
    }
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, Json[]];
      return parts.map((p) => resolve(p, template)).join(separator);
    }
    if ('Fn::GetStackOutput' in node) {
      const { OutputName } = node['Fn::GetStackOutput'] as { OutputName: string };
      for (const exporter of exporters) {
        const output = exporter.Outputs?.[OutputName];
        if (output) return resolve(output.Value, exporter);
      }
      throw new Error(`cannot resolve stack output ${OutputName}`);
    }
    if ('Fn::ImportValue' in node) {
      const name = node['Fn::ImportValue'];
      for (const exporter of exporters) {
        const output = Object.values(exporter.Outputs ?? {}).find((o) => o.Export?.Name === name);
        if (output) return resolve(output.Value, exporter);
      }
      throw new Error(`cannot resolve import ${String(name)}`);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, template)]));
  };
  return resolve;
}
