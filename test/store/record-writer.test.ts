// The batch writer's first-load path: inserts without a lookup, yet a key someone already wrote still
// takes the careful path (its old state kept as a version, the change counted).
import { expect } from "chai";
import { ENTITIES } from "../../src/store/entities.ts";
import { type Observation, writeRecords } from "../../src/store/record-writer.ts";
import { forEachEngine } from "../support/engines.ts";

const obs = (runId: number, at: string): Observation => ({
  schoolId: "s1",
  syncRunId: runId,
  observedAt: new Date(at),
  previousFullReadAt: null,
});

forEachEngine("record writer", (ctx) => {
  it("a first load inserts every new record and writes no version", async () => {
    const db = await ctx.open();
    const subjects = [
      { id: "math", name: "Математика" },
      { id: "rus", name: "Русский язык" },
    ];
    const w = await db.transaction((tx) =>
      writeRecords(tx, ENTITIES.subjects, subjects, obs(1, "2025-09-01T10:00:00Z"), { likelyNew: true }),
    );
    expect(w).to.deep.equal({ inserted: 2, updated: 0, unchanged: 0 });
    const rows = await db.query<{ key: string; name: string }>("SELECT key, name FROM subjects ORDER BY key");
    expect(rows.map((r) => r.name)).to.deep.equal(["Математика", "Русский язык"]);
    const [v] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM record_versions");
    expect(v.n).to.equal(0);
  });

  it("a first load that meets existing keys keeps their history and counts them as changed or unchanged", async () => {
    const db = await ctx.open();
    await writeRecords(
      db,
      ENTITIES.subjects,
      [
        { id: "math", name: "Математика" },
        { id: "rus", name: "Русский" },
      ],
      obs(1, "2025-09-01T10:00:00Z"),
    );
    const w = await db.transaction((tx) =>
      writeRecords(
        tx,
        ENTITIES.subjects,
        [
          { id: "math", name: "Математика" },
          { id: "rus", name: "Русский язык" },
          { id: "phys", name: "Физика" },
        ],
        obs(2, "2025-09-02T10:00:00Z"),
        { likelyNew: true },
      ),
    );
    expect(w).to.deep.equal({ inserted: 1, updated: 1, unchanged: 1 });
    const versions = await db.query<{ key: string; data: { name: string } }>(
      "SELECT key, data FROM record_versions",
    );
    expect(versions).to.have.length(1);
    expect(versions[0].data.name).to.equal("Русский");
    const [rus] = await db.query<{ name: string; sync_run_id: string }>(
      "SELECT name, sync_run_id::text FROM subjects WHERE key = $1",
      [versions[0].key],
    );
    expect(rus).to.deep.equal({ name: "Русский язык", sync_run_id: "2" });
  });
});
