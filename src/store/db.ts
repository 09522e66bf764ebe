// One query interface over real PostgreSQL (pg) and embedded PGlite: the same SQL runs on both.

export type SqlParam =
  | string
  | number
  | boolean
  | null
  | Date
  | string[]
  | number[]
  | (string | null)[]
  | (number | null)[];

export interface Db {
  readonly engine: "postgres" | "pglite";
  /** Runs one statement with $1… parameters and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: SqlParam[]): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /**
   * Streams COPY text into a table: `sql` is `COPY table (columns) FROM STDIN` (text format). In a
   * transaction on PostgreSQL; PGlite reads the same text as a blob.
   */
  copyFrom(sql: string, text: string): Promise<void>;
  /** Runs fn in one transaction; a throw rolls everything back. Nested calls reuse the outer transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
