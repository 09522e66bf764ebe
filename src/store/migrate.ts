// Runs the SQL files of ./migrations in order, once each, under a lock so concurrent starts are safe.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.ts";

// From the package root, so the compiled store (dist/store/migrate.js) reads the same files as the sources.
const MIGRATIONS_DIR = fileURLToPath(new URL("../../src/store/migrations/", import.meta.url));

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
  // Every start opens the store: when each migration is already recorded, one read and no lock suffice.
  if (await allApplied(db, migrations)) return [];
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

async function allApplied(db: Db, migrations: Migration[]): Promise<boolean> {
  const [table] = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!table.t) return false;
  const rows = await db.query<{ version: string }>("SELECT version FROM schema_migrations");
  const seen = new Set(rows.map((r) => r.version));
  return migrations.every((m) => seen.has(m.version));
}
