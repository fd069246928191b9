import type { LifecyclePolicy } from './policy';
import { DEFAULT_POLICY } from './policy';

type Env = Readonly<Record<string, string | undefined>>;

/** Collects every problem in a handler's environment, then fails once with all of them. */
export class SettingsReader {
  private readonly problems: string[] = [];

  constructor(
    private readonly env: Env,
    private readonly handler: string,
  ) {}

  text(name: string, meaning: string, pattern?: RegExp): string {
    const value = this.env[name]?.trim();
    if (!value) this.problems.push(`${name} is missing (${meaning})`);
    else if (pattern && !pattern.test(value)) {
      this.problems.push(
        `${name}=${JSON.stringify(value)} is not ${meaning} (expected ${pattern})`,
      );
    }
    return value ?? '';
  }

  /** A positive whole number; `fallback` when unset, or a problem when there is none. */
  positiveInt(name: string, meaning: string, fallback?: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) {
      if (fallback === undefined) this.problems.push(`${name} is missing (${meaning})`);
      return fallback ?? 0;
    }
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      this.problems.push(`${name}=${JSON.stringify(raw)} is not ${meaning} (a whole number >= 1)`);
      return fallback ?? 0;
    }
    return Number(raw);
  }

  /** Throws one error naming every problem. */
  done(): void {
    if (this.problems.length > 0) {
      throw new Error(
        `${this.handler}: invalid environment: ${this.problems.join('; ')}. Set these variables on the function.`,
      );
    }
  }
}

export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
export const USER_POOL_ID_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/;
export const QUEUE_URL_PATTERN = /^https?:\/\/\S+$/;

/** Which parts of the policy a handler uses; the others keep their defaults (unused). */
export interface PolicyNeeds {
  readonly graceDays?: boolean;
  readonly archiveRetentionDays?: boolean;
  readonly leaseMinutes?: boolean;
}

/**
 * GRACE_DAYS and ARCHIVE_RETENTION_DAYS are required where used (the stack passes
 * `retention.*` from the config: a silent default could delete data earlier than the config
 * promises); LEASE_MINUTES is optional. Dates are stored at each transition, so a handler only
 * needs the numbers of the steps it starts.
 */
export function readPolicy(read: SettingsReader, needs: PolicyNeeds): LifecyclePolicy {
  return {
    graceDays: needs.graceDays
      ? read.positiveInt('GRACE_DAYS', 'retention.closureGraceDays, in days')
      : DEFAULT_POLICY.graceDays,
    archiveRetentionDays: needs.archiveRetentionDays
      ? read.positiveInt('ARCHIVE_RETENTION_DAYS', 'retention.archiveRetentionDays, in days')
      : DEFAULT_POLICY.archiveRetentionDays,
    leaseMinutes: needs.leaseMinutes
      ? read.positiveInt(
          'LEASE_MINUTES',
          'the worker lease in minutes',
          DEFAULT_POLICY.leaseMinutes,
        )
      : DEFAULT_POLICY.leaseMinutes,
  };
}
