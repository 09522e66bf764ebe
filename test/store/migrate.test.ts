// Migrations: read from src/store/migrations whichever build runs them, applied once each; a store whose
// every migration is recorded is left alone, one that lacks some gets exactly those.
import { expect } from "chai";
import { listMigrations, migrate } from "../../src/store/migrate.ts";
import { forEachEngine } from "../support/engines.ts";

describe("listMigrations", () => {
  it("finds the numbered SQL files in order", () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions[0]).to.equal("001_canonical_model");
    expect(versions.length).to.be.greaterThan(10);
    expect([...versions].sort()).to.deep.equal(versions);
  });
});

describe("migrations on a store", function () {
  // The first case migrates the template store: minutes on a busy machine, not a speed test.
  this.timeout(300_000);
  forEachEngine("migrate", (ctx) => {
    it("applies nothing to a store that has every migration", async () => {
      const db = await ctx.open();
      expect(await migrate(db)).to.deep.equal([]);
      const [n] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
      expect(n.n).to.equal(listMigrations().length);
    });

    it("applies only the migrations a store lacks, once", async () => {
      const db = await ctx.open();
      const next = [...listMigrations(), { version: "999_probe", sql: "CREATE TABLE probe_999 (x int)" }];
      expect(await migrate(db, next)).to.deep.equal(["999_probe"]);
      expect(await migrate(db, next)).to.deep.equal([]);
      const rows = await db.query("SELECT 1 FROM schema_migrations WHERE version = '999_probe'");
      expect(rows).to.have.length(1);
    });
  });
});
