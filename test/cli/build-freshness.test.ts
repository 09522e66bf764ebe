// bin/reglament.js runs dist/ only while the build is newer than every source; times are set explicitly.
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ENTRY_FILE, freshBuild, STAMP_FILE } from "../../bin/build-freshness.js";

const BUILT_AT = 1_700_000_000_000; // ms: the build's start
const BEFORE = new Date(BUILT_AT - 60_000);
const AFTER = new Date(BUILT_AT + 60_000);

/** A package root whose sources all predate a build stamped BUILT_AT. */
function builtRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "reglament-fresh-"));
  mkdirSync(join(root, "src/store/migrations"), { recursive: true });
  mkdirSync(join(root, "dist"));
  const files = ["src/cli.ts", "src/store/db.ts", "src/store/migrations/001_a.sql"];
  for (const f of files) writeFileSync(join(root, f), "x");
  for (const p of [...files, "src/store/migrations", "src/store", "src"])
    utimesSync(join(root, p), BEFORE, BEFORE);
  writeFileSync(join(root, STAMP_FILE), JSON.stringify({ startedAt: BUILT_AT }));
  return root;
}

describe("bin/build-freshness.js", () => {
  it("trusts a build newer than every source", () => {
    const root = builtRoot();
    expect(freshBuild(root)).to.equal(join(root, ENTRY_FILE));
  });

  it("distrusts it once a source or a migration is edited after the build started", () => {
    for (const f of ["src/cli.ts", "src/store/migrations/001_a.sql"]) {
      const root = builtRoot();
      utimesSync(join(root, f), AFTER, AFTER);
      expect(freshBuild(root), f).to.equal(undefined);
    }
  });

  it("distrusts it once a source is added, removed or renamed (its folder changes)", () => {
    const added = builtRoot();
    writeFileSync(join(added, "src/store/new.ts"), "x");
    utimesSync(join(added, "src/store/new.ts"), BEFORE, BEFORE);
    const removed = builtRoot();
    rmSync(join(removed, "src/store/db.ts"));
    const renamed = builtRoot();
    renameSync(join(renamed, "src/cli.ts"), join(renamed, "src/main.ts"));
    for (const root of [added, removed, renamed]) expect(freshBuild(root)).to.equal(undefined);
  });

  it("distrusts a missing, unfinished or unreadable build", () => {
    const none = builtRoot();
    rmSync(join(none, STAMP_FILE));
    const garbled = builtRoot();
    writeFileSync(join(garbled, STAMP_FILE), "{");
    const odd = builtRoot();
    writeFileSync(join(odd, STAMP_FILE), JSON.stringify({ startedAt: "yesterday" }));
    for (const root of [none, garbled, odd]) expect(freshBuild(root)).to.equal(undefined);
  });
});
