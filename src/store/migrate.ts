// Runs the SQL files of ./migrations in order, once each, under a lock so concurrent starts are safe.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

export interface Migration {
  version: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ""), sql: readFileSync(`${dir}/${f}`, "utf8") }));
}

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  await db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(7423001)");
      const seen = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (seen.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version) VALUES ($1)", [m.version]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
