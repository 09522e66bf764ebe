// Opens the store: real PostgreSQL when a URL is given, else embedded PGlite; migrations run on open.
import type { Db } from "./db.ts";
import { migrate } from "./migrate.ts";
import { PgDb, quoteIdent } from "./pg-db.ts";
import { PgliteDb } from "./pglite-db.ts";

export interface StoreOptions {
  /** postgres://… — when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite folder; absent → in memory. */
  dataDir?: string;
  /** PostgreSQL schema to live in (tests isolate themselves this way). */
  schema?: string;
  /** Skip migrations (only `reglament migrate --status` wants that). */
  skipMigrations?: boolean;
}

export async function openStore(options: StoreOptions = {}): Promise<Db> {
  let db: Db;
  if (options.databaseUrl) {
    if (options.schema) {
      const admin = new PgDb(options.databaseUrl, { max: 1 });
      try {
        await admin.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
      } finally {
        await admin.close();
      }
    }
    db = new PgDb(options.databaseUrl, { schema: options.schema });
  } else {
    db = await PgliteDb.open(options.dataDir);
  }
  try {
    if (!options.skipMigrations) await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
