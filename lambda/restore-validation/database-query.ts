/** Where and as whom to run the validation query. */
export interface QueryTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/** What the query found: the login role and the number of tables of the application schema. */
export interface QueryResult {
  readonly currentUser: string;
  readonly appTables: number;
}

/** Runs the validation query on a restored cluster (real: `pg` over TLS with IAM auth). */
export type DatabaseQuery = (target: QueryTarget) => Promise<QueryResult>;

/** The query: proves login (IAM, TLS), a catalog read, and that the application schema came back. */
export const VALIDATION_SQL =
  "SELECT current_user AS current_user, (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'app')::int AS app_tables";
