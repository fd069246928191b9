/** The part of a `pg` Client the bootstrap uses, so that tests can pass any connection. */
export interface SqlClient {
  query<R extends object = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}

/** Opens connections as the bootstrap role (IAM authentication) or as the master user. */
export interface ConnectionFactory {
  asBootstrapRole(): Promise<SqlClient>;
  asMaster(): Promise<SqlClient>;
}
