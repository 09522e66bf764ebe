// Opens the store: real PostgreSQL when a URL is given, else embedded PGlite; migrations run on open.
// The two engines load on demand: a CLI call on PGlite need not load `pg`, nor one on PostgreSQL the WASM.
import type { Db } from "./db.ts";
import { migrate } from "./migrate.ts";

export interface StoreOptions {
  /** postgres://… — when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite folder; absent → in memory. */
  dataDir?: string;
  /** PostgreSQL schema to live in (tests isolate themselves this way). */
  schema?: string;
  /** Skip migrations (only `reglament migrate --status` wants that). */
  skipMigrations?: boolean;
  /** A short call that reads little (`reglament status`): PGlite starts with a small buffer pool. */
  brief?: boolean;
}

export async function openStore(options: StoreOptions = {}): Promise<Db> {
  let db: Db;
  if (options.databaseUrl) {
    const { PgDb, quoteIdent } = await import("./pg-db.ts");
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
    const { PgliteDb } = await import("./pglite-db.ts");
    db = await PgliteDb.open(options.dataDir, undefined, options.brief ? { sharedBuffers: "16MB" } : {});
  }
  try {
    if (!options.skipMigrations) await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
