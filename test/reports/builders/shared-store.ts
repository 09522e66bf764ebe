// One store per engine for a whole read-only suite: PGlite always, PostgreSQL when DATABASE_URL is set
// (mandatory with CI=true, as in test/support/engines.ts). Opening and importing once keeps it fast.
import { randomBytes } from "node:crypto";
import type { Db } from "../../../src/store/db.ts";
import { openStore } from "../../../src/store/open-store.ts";
import { dropSchema } from "../../support/engines.ts";

export interface SharedStore {
  engine: "pglite" | "postgres";
  /** The store, filled by `fill` before the suite's tests run. */
  db(): Db;
}

export function withSharedStore(
  title: string,
  fill: (db: Db) => Promise<void>,
  body: (store: SharedStore) => void,
): void {
  for (const engine of ["pglite", "postgres"] as const) {
    describe(`${title} [${engine}]`, () => {
      let db: Db | undefined;
      let schema: string | undefined;
      before(async function () {
        this.timeout(180_000);
        const url = process.env.DATABASE_URL;
        if (engine === "postgres") {
          if (!url) {
            if (process.env.CI === "true") throw new Error("CI=true but DATABASE_URL is not set");
            this.skip();
          }
          schema = `t_${randomBytes(6).toString("hex")}`;
          db = await openStore({ databaseUrl: url, schema });
        } else db = await openStore({});
        await fill(db);
      });
      after(async () => {
        await db?.close();
        if (schema) await dropSchema(schema);
      });
      body({
        engine,
        db: () => {
          if (!db) throw new Error("store not open");
          return db;
        },
      });
    });
  }
}
