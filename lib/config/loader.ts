import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from './default-config';
import { checkInvariants } from './invariants';
import type { ConfigProblem } from './problems';
import { ConfigError, fixForSchemaIssue, pathToString } from './problems';
import type { PlatformConfig } from './schema';
import { environmentSchema, platformSchema } from './schema';

/** The embedded default's name in messages. */
export const DEFAULT_SOURCE = 'embedded default';

/**
 * Validate a raw config object: schema first, then invariants. Returns the typed config or throws a
 * ConfigError with every problem found.
 */
export function parseConfig(raw: unknown, source = DEFAULT_SOURCE): PlatformConfig {
  const result = platformSchema.safeParse(raw);
  if (!result.success) {
    const problems: ConfigProblem[] = result.error.issues.map((issue) => ({
      path: pathToString(issue.path),
      message: issue.message,
      fix: fixForSchemaIssue(issue),
    }));
    // Check the invariants on the parts that are well formed, so that one run shows every problem.
    const partial = wellFormedPart(raw);
    if (partial) problems.push(...checkInvariants(partial));
    throw new ConfigError(problems, source);
  }
  const problems = checkInvariants(result.data);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return result.data;
}

/**
 * The config reduced to its well-formed environments, when its top-level settings are well
 * formed; undefined otherwise.
 */
function wellFormedPart(raw: unknown): PlatformConfig | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { environments, ...rest } = raw as Record<string, unknown>;
  const top = platformSchema.omit({ environments: true }).safeParse(rest);
  if (!top.success || typeof environments !== 'object' || environments === null) return undefined;
  const valid = Object.entries(environments).flatMap(([name, env]) => {
    const parsed = environmentSchema.safeParse(env);
    return parsed.success ? [[name, parsed.data] as const] : [];
  });
  return { ...top.data, environments: Object.fromEntries(valid) };
}

/** Read and validate a JSON config file. */
export function loadConfigFile(path: string): PlatformConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      [
        {
          path: '',
          message: `cannot read the file: ${(error as Error).message}`,
          fix: 'pass the path of an existing JSON file, e.g. -c config=config/platform.example.json',
        },
      ],
      path,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      [
        {
          path: '',
          message: `not valid JSON: ${(error as Error).message}`,
          fix: 'fix the JSON syntax (a trailing comma or a missing quote is the usual cause)',
        },
      ],
      path,
    );
  }
  return parseConfig(raw, path);
}

/** The config for a synth: the user's file when `-c config=path` is given, else the default. */
export function loadConfig(path?: string): PlatformConfig {
  return path ? loadConfigFile(path) : parseConfig(DEFAULT_CONFIG);
}
