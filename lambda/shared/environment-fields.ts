// A namespace import lets esbuild tree-shake zod: `import { z }` pulls all of it (every locale)
// into each Lambda bundle, about 450 KB minified against about 85 KB.
import * as z from 'zod';

/**
 * Schema entries for function contracts (lambda/<function>/contract.ts), one per kind of setting.
 * Each message says what the variable means, so a failed init names the variable, its meaning
 * and, for a pattern, the pattern; an unset or blank variable fails the same way.
 */

/** A non-blank string matching `pattern`, trimmed. */
export function text(meaning: string, pattern: RegExp) {
  const message = `${meaning}, matching ${pattern}`;
  return z.string({ error: message }).trim().regex(pattern, message);
}

/** A whole number from `min` to `max`, as its decimal digits. */
export function wholeNumber(meaning: string, min = 1, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}-${max}`;
  const message = `${meaning}, a whole number ${range}`;
  return z
    .string({ error: message })
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** AWS_REGION, set by the Lambda runtime (list it in the contract's `runtime`). */
export const runtimeRegion = text('the AWS region, set by the Lambda runtime', REGION_PATTERN);

export function region(meaning: string) {
  return text(meaning, REGION_PATTERN);
}

export function bucketName(meaning: string) {
  return text(meaning, BUCKET_PATTERN);
}
