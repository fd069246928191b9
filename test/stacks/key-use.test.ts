import { stackJson } from '../support/default-platform';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The lifecycle workers, the sweep, the admin functions and the documents task use the registry,
 * queue, archive and files keys only through DynamoDB, SQS or S3: no statement of their roles
 * allows a KMS data action without `kms:ViaService`. One exception, named here: the SQS event
 * source of aws-cdk-lib grants each worker `kms:Decrypt` on the jobs queue key with no condition
 * (Lambda's poller reads the queue with the function's role); that key encrypts only job messages
 * (tenant id and job, no personal data).
 */
const eventSourceGrant = (s: Json) =>
  JSON.stringify(s.Action) === '"kms:Decrypt"' &&
  /^JobsKey/.test(String(s.Resource?.['Fn::GetAtt']?.[0] ?? ''));

test.each(['prod-apse2-Lifecycle', 'prod-apse2-Compute', 'prod-apse4-Compute'])(
  '%s: every KMS data action of a function or task role is conditioned on kms:ViaService',
  (id) => {
    const resources = (stackJson(id) as { Resources: Record<string, Json> }).Resources;
    const unconditioned = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([policyId, r]) =>
        (r.Properties.PolicyDocument.Statement as Json[])
          .filter((s) =>
            [s.Action].flat().some((a: string) => /^kms:(Decrypt|Encrypt|GenerateDataKey)/.test(a)),
          )
          .filter((s) => !s.Condition?.StringEquals?.['kms:ViaService'] && !eventSourceGrant(s))
          .map((s) => `${policyId}: ${JSON.stringify(s.Action)}`),
      );
    expect(unconditioned).toEqual([]);
  },
);
