import { text, wholeNumber } from '../environment-fields';

/**
 * Contract entries of a function that connects to Aurora PostgreSQL with IAM authentication and
 * verified TLS. Every such contract includes `NODE_EXTRA_CA_CERTS`: the Node.js 20+ Lambda
 * runtimes do not trust the RDS certificate authorities unless told, so without it every verified
 * connection fails in AWS (and nowhere else: local PostgreSQL without TLS hides it).
 */

/** The CA bundle the Lambda runtime ships (Amazon CAs, the RDS ones included). */
export const RUNTIME_CA_BUNDLE = '/var/runtime/ca-cert.pem';

const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;
const PG_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export const databaseSettings = {
  host: () => text('the database host name', HOST),
  port: () => wholeNumber('the database TCP port', 1, 65535),
  name: () => text('a PostgreSQL database name', PG_NAME),
  user: () => text('a PostgreSQL role name (the IAM-authenticated login)', PG_NAME),
  caBundle: () =>
    text(
      `the CA bundle that signs the RDS certificates (${RUNTIME_CA_BUNDLE}: Node.js 20+ Lambda ` +
        'runtimes trust the RDS CAs only through it)',
      /^\/\S+\.pem$/,
    ),
} as const;
