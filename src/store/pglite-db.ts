// Db on embedded PGlite: PostgreSQL compiled to WASM, on disk under ./data or in memory.
import { mkdirSync } from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Db, SqlParam } from "./db.ts";

const parsers = { 1082: (v: string) => v };

class PgliteTxDb implements Db {
  readonly engine = "pglite" as const;
  constructor(private readonly tx: Transaction) {}
  async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    return (await this.tx.query<T>(sql, params)).rows;
  }
  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }
  async copyFrom(sql: string, text: string): Promise<void> {
    await this.tx.query(fromBlob(sql), [], { blob: new Blob([text]) });
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {}
}

/** PGlite has no COPY stream from the client: it reads COPY input from the query's blob at /dev/blob. */
function fromBlob(sql: string): string {
  if (!sql.endsWith(" FROM STDIN")) throw new Error("copyFrom expects COPY … FROM STDIN");
  return `${sql.slice(0, -" FROM STDIN".length)} FROM '/dev/blob'`;
}

export interface PgliteTuning {
  /**
   * PostgreSQL's buffer pool, e.g. "16MB" (default 128MB). PGlite zeroes the pool on every start (about a
   * third of its start-up), so a short call that reads a few pages starts faster with a small one.
   */
  sharedBuffers?: string;
}

export class PgliteDb implements Db {
  readonly engine = "pglite" as const;
  private constructor(private readonly pg: PGlite) {}

  /**
   * `dataDir` undefined → in memory (tests); else a folder that keeps the database. `from` starts the
   * database as a copy of a dump (tests clone one migrated database instead of migrating each time).
   */
  static async open(dataDir?: string, from?: Blob | File, tuning: PgliteTuning = {}): Promise<PgliteDb> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const startParams = tuning.sharedBuffers
      ? [...PGlite.defaultStartParams, "-c", `shared_buffers=${tuning.sharedBuffers}`]
      : undefined;
    const pg = await PGlite.create(dataDir ?? "memory://", { parsers, loadDataDir: from, startParams });
    return new PgliteDb(pg);
  }

  /** The whole database as a tarball, for `open(undefined, dump)`. */
  dump(): Promise<Blob | File> {
    return this.pg.dumpDataDir("none");
  }

  async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    return (await this.pg.query<T>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async copyFrom(sql: string, text: string): Promise<void> {
    await this.pg.query(fromBlob(sql), [], { blob: new Blob([text]) });
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(new PgliteTxDb(tx)));
  }

  async close(): Promise<void> {
    await this.pg.close();
  }
}
