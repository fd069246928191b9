/** The service's settings, read once from the environment at start and validated. */
export interface ServiceConfig {
  /** TCP port the server listens on. */
  readonly port: number;
  /** PEM files of the server's TLS certificate and key; absent: plain HTTP (local runs only). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** Every variable the service reads, with what it means: the one place names are spelled. */
export const VARIABLES = {
  PORT: 'TCP port to listen on (1-65535)',
  TLS_CERT_FILE: 'PEM certificate file; set together with TLS_KEY_FILE',
  TLS_KEY_FILE: 'PEM private key file; set together with TLS_CERT_FILE',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`documents service: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Read and validate the configuration; every problem is reported at once, naming the variable
 * and the fix, so the process fails at start instead of on the first request.
 */
export function readConfig(env: Environment): ServiceConfig {
  const problems: string[] = [];
  const rawPort = env.PORT ?? '8443';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 1 || port > 65535) {
    problems.push(`PORT is "${rawPort}": set it to ${VARIABLES.PORT}`);
  }
  const certFile = nonEmpty(env.TLS_CERT_FILE);
  const keyFile = nonEmpty(env.TLS_KEY_FILE);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const missing = certFile === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
    problems.push(`${missing} is not set: set TLS_CERT_FILE and TLS_KEY_FILE together, or neither`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return certFile && keyFile ? { port, tls: { certFile, keyFile } } : { port };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
