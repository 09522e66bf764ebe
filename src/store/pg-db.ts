// Db on a real PostgreSQL server through a pg pool.
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import type { Db, SqlParam } from "./db.ts";

// Calendar dates stay `YYYY-MM-DD` strings: a JS Date would shift them across time zones.
pg.types.setTypeParser(1082, (v: string) => v);

class PgClientDb implements Db {
  readonly engine = "postgres" as const;
  constructor(private readonly client: pg.PoolClient) {}
  async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    return (await this.client.query(sql, params)).rows as T[];
  }
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  async copyFrom(sql: string, text: string): Promise<void> {
    await pipeline([text], this.client.query(copyFromStdin(sql)));
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {}
}

export class PgDb implements Db {
  readonly engine = "postgres" as const;
  private readonly pool: pg.Pool;

  constructor(url: string, options: { schema?: string; max?: number } = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 4,
      options: options.schema ? `-c search_path=${quoteIdent(options.schema)}` : undefined,
    });
    // An idle client losing its server must not crash the process; the next query reconnects.
    this.pool.on("error", () => {});
  }

  async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  copyFrom(sql: string, text: string): Promise<void> {
    return this.transaction((tx) => tx.copyFrom(sql, text));
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PgClientDb(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}
