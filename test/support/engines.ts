// Runs a suite on embedded PGlite and on real PostgreSQL. With CI=true a missing DATABASE_URL or an
// unreachable server fails the run: the PostgreSQL suite is mandatory there, never skipped.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openStore } from "../../src/store/open-store.ts";
import { PgliteDb } from "../../src/store/pglite-db.ts";

export interface EngineContext {
  engine: "pglite" | "postgres";
  /** A fresh, migrated, empty store for this test. */
  open(): Promise<Db>;
}

const DATABASE_URL = process.env.DATABASE_URL;

// One migrated PGlite database per test process, cloned for each test: migrating every time is slow.
let template: Promise<Blob | File> | undefined;
async function freshPglite(): Promise<Db> {
  template ??= (async () => {
    const db = await openStore({});
    const dump = await (db as PgliteDb).dump();
    await db.close();
    return dump;
  })();
  const db = await PgliteDb.open(undefined, await template);
  await migrate(db); // a no-op on the clone; keeps the suite honest if the template is stale
  return db;
}

export function forEachEngine(title: string, body: (ctx: EngineContext) => void): void {
  describe(`${title} [pglite]`, () => {
    const opened: Db[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((db) => db.close()));
    });
    body({
      engine: "pglite",
      open: async () => {
        const db = await freshPglite();
        opened.push(db);
        return db;
      },
    });
  });

  describe(`${title} [postgres]`, () => {
    const opened: { db: Db; schema: string }[] = [];
    before(function () {
      if (!DATABASE_URL) {
        if (process.env.CI === "true")
          throw new Error("CI=true but DATABASE_URL is not set: the PostgreSQL suite is mandatory");
        this.skip();
      }
    });
    afterEach(async () => {
      for (const { db, schema } of opened.splice(0)) {
        await db.close();
        await dropSchema(schema);
      }
    });
    body({
      engine: "postgres",
      open: async () => {
        const schema = `t_${randomBytes(6).toString("hex")}`;
        const db = await openStore({ databaseUrl: DATABASE_URL, schema });
        opened.push({ db, schema });
        return db;
      },
    });
  });
}

export async function dropSchema(schema: string, url = DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
