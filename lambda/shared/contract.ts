// A namespace import lets esbuild tree-shake zod: `import { z }` pulls all of it (every locale)
// into each Lambda bundle, about 450 KB minified against about 85 KB.
import * as z from 'zod';

/**
 * A function's contract: the environment variables its construct sets and its handler reads, with
 * a zod schema for each. `lambda/<function>/contract.ts` defines one with `defineContract`; the
 * construct passes `environment: EnvironmentOf<typeof contract>` to `PlatformFunction`, which
 * builds it with `environmentOf` (a missing or misspelt name is a type error), and the handler's
 * index.ts reads its settings once at init with `readEnvironment` (a bad value fails init naming
 * every variable, what is wrong and the fix). test/lambda/contracts.test.ts checks every
 * synthesized function's environment against its contract.
 *
 * Variables the Lambda runtime sets itself (AWS_REGION) are listed in `runtime`: the handler reads
 * them, the construct never sets them.
 */
export interface FunctionContract<
  Shape extends z.ZodRawShape,
  Runtime extends keyof Shape & string = never,
> {
  /** The function's folder under `lambda/`. */
  readonly name: string;
  readonly schema: z.ZodObject<Shape>;
  /** Names the runtime provides; absent from what the construct must set. */
  readonly runtime: readonly Runtime[];
}

export function defineContract<
  Shape extends z.ZodRawShape,
  Runtime extends keyof Shape & string = never,
>(name: string, shape: Shape, runtime: readonly Runtime[] = []): FunctionContract<Shape, Runtime> {
  return { name, schema: z.object(shape), runtime };
}

/** A schema entry the construct may leave unset: optional, or with a default. */
type Omittable = z.ZodOptional<z.ZodType> | z.ZodDefault<z.ZodType>;

/**
 * What a construct must set: every variable of the contract but the runtime's, each a string
 * (a CDK token counts); optional or defaulted entries stay optional.
 */
export type EnvironmentOf<C> =
  C extends FunctionContract<infer Shape, infer Runtime>
    ? {
        [
          K in Exclude<keyof Shape & string, Runtime> as Shape[K] extends Omittable ? never : K
        ]: string;
      } & {
        [
          K in Exclude<keyof Shape & string, Runtime> as Shape[K] extends Omittable ? K : never
        ]?: string;
      }
    : never;

/** The settings a handler gets: the schema's output. */
export type SettingsOf<C> =
  C extends FunctionContract<infer Shape, string> ? z.output<z.ZodObject<Shape>> : never;

/** The construct side: the environment as a plain record, checked against the contract's names. */
export function environmentOf<C extends FunctionContract<z.ZodRawShape, string>>(
  contract: C,
  values: EnvironmentOf<C>,
): Record<string, string> {
  const known = new Set(Object.keys(contract.schema.shape));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) {
      throw new Error(`${contract.name}: ${name} is not in the function's contract.`);
    }
  }
  return Object.fromEntries(
    Object.entries(values as Record<string, string | undefined>).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}

/** Every problem in `env` against the contract, one line each; empty when it parses. */
export function environmentProblems(
  contract: FunctionContract<z.ZodRawShape, string>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const parsed = contract.schema.safeParse(env);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = env[String(issue.path[0])];
    const got = value === undefined || value === '' ? 'missing' : `got ${JSON.stringify(value)}`;
    return `${name}: ${issue.message} (${got})`;
  });
}

/**
 * The handler side: parses `env` once, at init. Throws one error naming every problem and the
 * fix, so a misconfigured function fails its first invocation loudly instead of misbehaving.
 */
export function readEnvironment<C extends FunctionContract<z.ZodRawShape, string>>(
  contract: C,
  env: Readonly<Record<string, string | undefined>>,
): SettingsOf<C> {
  const problems = environmentProblems(contract, env);
  if (problems.length > 0) {
    throw new Error(
      `${contract.name}: invalid environment: ${problems.join('; ')}. ` +
        `Fix: set these variables on the function (see lambda/${contract.name}/contract.ts).`,
    );
  }
  return contract.schema.parse(env) as SettingsOf<C>;
}
