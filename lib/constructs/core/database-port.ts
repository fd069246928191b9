/** The port of every platform database (Aurora PostgreSQL). */
export const DATABASE_PORT = 5432;
