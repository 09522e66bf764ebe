// The compiled program (dist/, same depth as src/) must read the same files as the sources: every
// `new URL("<path>", import.meta.url)` in src/ has to resolve alike from src/x/y.ts and dist/x/y.js, so
// it may point anywhere but inside src/ itself (tsc copies no .sql, .yaml or fonts) — except through the
// package root (`../../src/store/migrations/`). The build's own output (program.ts's manifest) is the one
// path meant to differ.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUILD_OUTPUT = new Set(["src/cli/program.ts ./commands.json"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("files the program finds from import.meta.url", () => {
  it("are the same from dist/ as from src/", () => {
    const checked: string[] = [];
    for (const file of sources(join(ROOT, "src"))) {
      const rel = relative(ROOT, file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/new URL\(\s*"([^"]+)",\s*import\.meta\.url\s*\)/g)) {
        if (BUILD_OUTPUT.has(`${rel} ${m[1]}`)) continue;
        const fromSrc = resolve(dirname(file), m[1]);
        const fromDist = resolve(dirname(join(ROOT, "dist", relative(join(ROOT, "src"), file))), m[1]);
        expect(fromDist, `${rel}: "${m[1]}"`).to.equal(fromSrc);
        checked.push(rel);
      }
    }
    expect(checked).to.include.members(["src/store/migrate.ts", "src/config/load-config.ts"]);
  });
});
