import { InputError } from './errors';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Whether the date and time fields as written exist (JavaScript rolls 2026-11-31 over to
 * 2026-12-01; a restore to a time nobody asked for must be refused instead).
 */
function isCalendarTime(value: string): boolean {
  const [year, month, day, hour, minute, second] = [0, 5, 8, 11, 14, 17].map((at, i) =>
    Number(value.slice(at, at + (i === 0 ? 4 : 2))),
  ) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const hasSeconds = value[16] === ':';
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    (!hasSeconds || second <= 59)
  );
}

/**
 * Parse an ISO-8601 time with an explicit offset (`2025-03-01T02:30:00Z`,
 * `2025-03-01T13:30:00+11:00`). A time without an offset is refused: at 3 a.m. nobody should
 * have to guess whether it was local time or UTC.
 */
export function parseTime(option: string, value: string | undefined): Date {
  if (!value) {
    throw new InputError(option, 'is required', 'pass an ISO-8601 time, e.g. 2025-03-01T02:30:00Z');
  }
  const time = new Date(value);
  if (!ISO_8601.test(value) || Number.isNaN(time.getTime()) || !isCalendarTime(value)) {
    throw new InputError(
      option,
      `"${value}" is not an ISO-8601 time with a time zone (or names a day or time that does not exist)`,
      'use e.g. 2025-03-01T02:30:00Z (UTC) or 2025-03-01T13:30:00+11:00',
    );
  }
  return time;
}

/** Refuse a time after `now`. */
export function requirePast(option: string, time: Date, now: Date): void {
  if (time.getTime() > now.getTime()) {
    throw new InputError(
      option,
      `${time.toISOString()} is in the future (now is ${now.toISOString()})`,
      'pass a time in the past; check the time zone offset',
    );
  }
}

/** Refuse a time older than `days` before `now`. */
export function requireWithinDays(
  option: string,
  time: Date,
  now: Date,
  days: number,
  what: string,
): void {
  const earliest = new Date(now.getTime() - days * 86_400_000);
  if (time.getTime() < earliest.getTime()) {
    throw new InputError(
      option,
      `${time.toISOString()} is older than ${what} (${days} days: the earliest is ${earliest.toISOString()})`,
      'pick a later time, or restore a daily or monthly recovery point with --recovery-point (list them with `points`)',
    );
  }
}

/** RDS cluster identifier rules: 1-63 letters, digits, hyphens; a letter first; no `--`, no trailing `-`. */
export function requireClusterIdentifier(option: string, id: string): void {
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(id) || id.includes('--') || id.endsWith('-')) {
    throw new InputError(
      option,
      `"${id}" is not a valid DB cluster identifier`,
      'use 1 to 63 letters, digits or hyphens, starting with a letter, without "--" or a trailing hyphen',
    );
  }
}

/** A positive number option (milliseconds, minutes). */
export function parsePositiveNumber(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InputError(option, `"${value}" is not a positive number`, `pass e.g. ${option} 1000`);
  }
  return n;
}

/** `202503010230`: UTC year to minute, for restored cluster names. */
export function compactUtcMinute(time: Date): string {
  return time.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Split an ARN, or refuse it naming the option. */
export function parseArn(option: string, value: string): ParsedArn {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[2] || !parts[5]) {
    throw new InputError(
      option,
      `"${value}" is not an ARN`,
      'copy the RECOVERY POINT column of `npm run restore -- points ...`',
    );
  }
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource: parts.slice(5).join(':'),
  };
}

/** Whether a command that only plans by default makes its changes: `--apply`, never with `--dry-run`. */
export function applyRequested(options: { apply?: boolean; dryRun?: boolean }): boolean {
  if (options.apply && options.dryRun) {
    throw new InputError(
      '--dry-run',
      'contradicts --apply',
      'pass one of them (without --apply it is a dry run)',
    );
  }
  return options.apply ?? false;
}
