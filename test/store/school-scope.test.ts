// Many schools on one deployment (issue 12): every table of the store is either per school — a NOT NULL
// school_id that every primary key and unique constraint holds, and every foreign key between per-school
// tables joins on — or one of the few global tables listed here with the reason. That is what Citus
// needs to distribute the per-school tables by school_id, co-located (README "Scaling out").
import { expect } from "chai";
import type { Db } from "../../src/store/db.ts";
import { forEachEngine } from "../support/engines.ts";

/** Global tables (Citus reference tables, or local to the coordinator), each with why it is not per school. */
const GLOBAL_TABLES: Record<string, string> = {
  schema_migrations: "the migrations applied; one list for the whole store",
  schools: "the directory of schools: its key `id` is the school_id every other table carries",
  sources: "platform connections; a source's school is learned at its first sync (sources.school_id)",
  sync_locks: "one sync of a source at a time, keyed by source like sources",
  users: "console accounts; one account may serve several schools (user_schools, per school)",
  user_sessions: "sessions of those accounts",
  audit_log: "the console's audit log; a login or a user change belongs to no school",
  login_rate: "login attempts per client address, counted before anyone is signed in to a school",
};

async function tables(db: Db): Promise<string[]> {
  const rows = await db.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}

async function schoolIdColumns(db: Db): Promise<Map<string, string>> {
  const rows = await db.query<{ t: string; nullable: string }>(
    `SELECT table_name AS t, is_nullable AS nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'school_id'`,
  );
  return new Map(rows.map((r) => [r.t, r.nullable]));
}

/** Primary key, unique and foreign key constraints with their columns (pg_catalog: information_schema hides some). */
interface Constraint {
  table: string;
  name: string;
  type: string;
  columns: string[];
  /** A foreign key's referenced table. */
  references: string | null;
}

const bareName = (regclass: string | null) => regclass?.replace(/^.*\./, "").replace(/"/g, "") ?? null;

async function constraints(db: Db): Promise<Constraint[]> {
  const rows = await db.query<Constraint>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype::text AS type,
            CASE WHEN c.contype = 'f' THEN c.confrelid::regclass::text END AS references,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) k JOIN pg_attribute a
                  ON a.attrelid = c.conrelid AND a.attnum = k) AS columns
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = current_schema() AND c.contype IN ('p', 'u', 'f')`,
  );
  return rows.map((r) => ({ ...r, table: bareName(r.table) ?? "", references: bareName(r.references) }));
}

describe("school scope of the schema", function () {
  this.timeout(300_000);
  forEachEngine("school scope", (ctx) => {
    it("gives every per-school table a NOT NULL school_id; only the listed global tables lack one", async () => {
      const db = await ctx.open();
      const all = await tables(db);
      const withSchool = await schoolIdColumns(db);
      const missing = all.filter((t) => !withSchool.has(t) && !(t in GLOBAL_TABLES));
      expect(missing, "tables without school_id, not listed as global").to.deep.equal([]);
      const nullable = all.filter((t) => !(t in GLOBAL_TABLES) && withSchool.get(t) === "YES");
      expect(nullable, "per-school tables whose school_id may be null").to.deep.equal([]);
      // The list stays honest: every global table named exists.
      expect(Object.keys(GLOBAL_TABLES).filter((t) => !all.includes(t))).to.deep.equal([]);
      expect(all.length).to.be.greaterThan(Object.keys(GLOBAL_TABLES).length + 20);
    });

    it("puts school_id into every key and every foreign key of the per-school tables", async () => {
      const db = await ctx.open();
      const perSchool = (t: string) => !(t in GLOBAL_TABLES);
      const bad = (await constraints(db))
        .filter((c) => perSchool(c.table) && !c.columns.includes("school_id"))
        // A foreign key to a global table (e.g. user_schools → users) needs no distribution column.
        .filter((c) => c.type !== "f" || perSchool(c.references ?? ""))
        .map((c) => `${c.table}.${c.name} (${c.columns.join(", ")})`);
      expect(bad).to.deep.equal([]);
    });
  });
});
