/** What the bootstrap handler needs from its environment, validated once at init. */
export interface BootstrapConfig {
  /** Writer endpoint of the cluster (`DB_HOST`). */
  readonly host: string;
  /** `DB_PORT`. */
  readonly port: number;
  /** Database to bootstrap (`DB_NAME`). */
  readonly database: string;
  /** ARN of the master user's secret, used only on the first deployment (`MASTER_SECRET_ARN`). */
  readonly masterSecretArn: string;
  /** Region of the cluster, for signing IAM auth tokens (`AWS_REGION`, set by Lambda). */
  readonly region: string;
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;
const DATABASE = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/** Reads and checks the environment; throws one error listing every problem. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): BootstrapConfig {
  const problems: string[] = [];
  const host = env.DB_HOST ?? '';
  if (!HOST.test(host)) problems.push(`DB_HOST must be a host name (got "${host}")`);
  const port = Number(env.DB_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`DB_PORT must be a port number 1-65535 (got "${env.DB_PORT ?? ''}")`);
  }
  const database = env.DB_NAME ?? '';
  if (!DATABASE.test(database))
    problems.push(`DB_NAME must be a database name (got "${database}")`);
  const masterSecretArn = env.MASTER_SECRET_ARN ?? '';
  if (!SECRET_ARN.test(masterSecretArn)) {
    problems.push(
      `MASTER_SECRET_ARN must be a Secrets Manager secret ARN (got "${masterSecretArn}")`,
    );
  }
  const region = env.AWS_REGION ?? '';
  if (!region) problems.push('AWS_REGION is not set');
  // Node.js 20+ Lambda runtimes no longer load the Amazon CA bundle (which includes the RDS CAs)
  // unless NODE_EXTRA_CA_CERTS points at it; without it, verified TLS to the cluster fails.
  if (!env.NODE_EXTRA_CA_CERTS) {
    problems.push(
      'NODE_EXTRA_CA_CERTS must be set (to /var/runtime/ca-cert.pem) to trust the RDS CAs',
    );
  }
  if (problems.length) {
    throw new Error(`db-bootstrap configuration is invalid: ${problems.join('; ')}`);
  }
  return { host, port, database, masterSecretArn, region };
}
