/** Date arithmetic for the lifecycle: UTC, ISO-8601 with milliseconds, whole days of 24 h. */
export const DAY_MS = 24 * 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function toIso(date: Date): string {
  return date.toISOString();
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * MINUTE_MS);
}

/** Parses the registry's own timestamps (`toIso` output); anything else is a corrupt record. */
export function parseIso(value: string, field: string): Date {
  const date = new Date(value);
  if (!ISO_UTC.test(value) || Number.isNaN(date.getTime())) {
    throw new Error(`${field}=${JSON.stringify(value)} is not an ISO-8601 UTC timestamp`);
  }
  return date;
}

/** `a >= b` for two instants. */
export function notBefore(a: Date, b: Date): boolean {
  return a.getTime() >= b.getTime();
}

export function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
