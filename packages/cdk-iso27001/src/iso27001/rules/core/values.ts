import { Token } from 'aws-cdk-lib';
import { NotCheckableError } from './rule';

/** True when a resolved CloudFormation value still holds an intrinsic function or a token. */
export function containsIntrinsic(value: unknown): boolean {
  if (typeof value === 'string') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(containsIntrinsic);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return true;
    if (keys.length === 1 && keys[0] === 'Condition') return true;
    return Object.values(value).some(containsIntrinsic);
  }
  return false;
}

/** The value if it is fully literal; undefined if absent; otherwise not checkable. */
export function literal(value: unknown, what: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (containsIntrinsic(value)) throw new NotCheckableError(what);
  return value;
}

/** A literal boolean (CloudFormation also accepts the strings "true" and "false"). */
export function literalBoolean(value: unknown, what: string): boolean | undefined {
  const v = literal(value, what);
  if (v === undefined) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new NotCheckableError(what);
}

/** A literal number (CloudFormation also accepts numeric strings). */
export function literalNumber(value: unknown, what: string): number | undefined {
  const v = literal(value, what);
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isNaN(n)) throw new NotCheckableError(what);
  return n;
}

/** A literal string. */
export function literalString(value: unknown, what: string): string | undefined {
  const v = literal(value, what);
  if (v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new NotCheckableError(what);
}

/** A list whose shape is literal (its items may still hold intrinsics). */
export function literalList(value: unknown, what: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new NotCheckableError(what);
  return value;
}

/** An object whose shape is literal (its fields may still hold intrinsics). */
export function literalObject(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || containsTopLevelIntrinsic(value)) {
    throw new NotCheckableError(what);
  }
  return value as Record<string, unknown>;
}

function containsTopLevelIntrinsic(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** The logical id a resolved `Ref` or `Fn::GetAtt` points at (pseudo parameters excluded). */
export function referencedLogicalId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::')) return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}
