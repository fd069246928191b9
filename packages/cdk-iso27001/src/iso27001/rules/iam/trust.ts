/** One `Allow` statement of a role's trust policy, with its principals flattened. */
export interface TrustStatement {
  readonly path: string;
  readonly aws: readonly unknown[];
  readonly service: readonly unknown[];
  readonly federated: readonly unknown[];
  readonly condition: Record<string, unknown>;
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The `Allow` statements of a resolved `AssumeRolePolicyDocument`. */
export function trustStatements(document: unknown): TrustStatement[] {
  const statements = asList((document as { Statement?: unknown } | undefined)?.Statement);
  return statements.flatMap((item, i) => {
    const s = (item ?? {}) as Record<string, unknown>;
    if (s.Effect !== 'Allow') return [];
    const principal = s.Principal;
    const p =
      principal !== null && typeof principal === 'object'
        ? (principal as Record<string, unknown>)
        : { AWS: principal };
    return [
      {
        path: `AssumeRolePolicyDocument.Statement.${i}`,
        aws: asList(p.AWS),
        service: asList(p.Service),
        federated: asList(p.Federated),
        condition: (s.Condition ?? {}) as Record<string, unknown>,
      },
    ];
  });
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * Whether a trust statement requires MFA: `Bool` `aws:MultiFactorAuthPresent` true, or a
 * `NumericLessThan(Equals)` on `aws:MultiFactorAuthAge`. `BoolIfExists` does not count: it passes
 * when the key is absent, as it is for long-term access keys.
 */
export function requiresMfa(statement: TrustStatement): boolean {
  const bool = statement.condition.Bool as Record<string, unknown> | undefined;
  if (bool && isTrue(bool['aws:MultiFactorAuthPresent'])) return true;
  return ['NumericLessThan', 'NumericLessThanEquals'].some((op) => {
    const block = statement.condition[op] as Record<string, unknown> | undefined;
    return block?.['aws:MultiFactorAuthAge'] !== undefined;
  });
}
