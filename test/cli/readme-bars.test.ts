// The README's BARS commands, run as written by the real executable, each from a clean store:
// `reglament source add <id> --kind bars --config FILE` (then check and sync, as the README goes on), an
// expired copied cookie reported by `source check` in Russian, and `npm start -- --platform bars`.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { stringify } from "yaml";
import { barsMessages } from "../../src/connectors/bars/messages.ru.ts";
import { startBarsSimulator } from "../../src/connectors/bars/simulator.ts";
import { tinySchool } from "../support/dataset-builder.ts";
import { startLong } from "../support/long-running.ts";
import { runCli } from "../support/run-cli.ts";
import { BARS_README_COMMANDS } from "./readme-bars-commands.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SECRET = "readme-bars-secret-0123456789abcdef";
const fresh = () => mkdtempSync(join(tmpdir(), "reglament-readme-bars-"));
const cleanEnv = () => ({ REGLAMENT_DATA_DIR: join(fresh(), "pglite"), REGLAMENT_SECRET: SECRET });

async function ok(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const r = await runCli(args, env, cwd);
  expect(r.code, `reglament ${args.join(" ")}\n${r.stderr}`).to.equal(0);
  expect(r.stderr, args.join(" ")).not.to.match(/\n\s+at /);
  return r;
}

describe("the README's BARS commands", function () {
  this.timeout(1_200_000);

  it("the README shows them", () => {
    for (const c of BARS_README_COMMANDS) expect(README).to.contain(`\`${c}\``);
  });

  it("reglament source add <id> --kind bars --config FILE, then source check and sync", async () => {
    const ds = tinySchool();
    const sim = await startBarsSimulator({ dataset: ds, sessionid: "copied-cookie-0123456789" });
    try {
      const env = cleanEnv();
      const file = join(fresh(), "bars.yaml");
      const school = { id: "school-39", timezone: "Europe/Moscow", workweek: 5 };
      writeFileSync(
        file,
        stringify({
          url: sim.url,
          auth: { method: "password", login: "reglament", password: "demo-password" },
          school,
        }),
      );
      const add = await ok(["source", "add", "school-bars", "--kind", "bars", "--config", file], env);
      expect(add.stdout).to.match(/Source school-bars \(bars\) added/);
      const check = await ok(["source", "check", "school-bars"], env);
      expect(check.stdout).to.match(/school-bars: ok — БАРС «Электронная школа» .*доступно учеников: 2/);
      const sync = await ok(["sync", "--source", "school-bars"], env);
      expect(sync.stdout).to.match(/Source school-bars: school /);
      expect(sync.stdout, "no names in the output").not.to.match(/Петров|Сидорова/);

      // The cookie of an ЕСИА-only region: once it expired, check says what to do, in Russian.
      const cookieFile = join(fresh(), "bars-cookie.yaml");
      writeFileSync(
        cookieFile,
        stringify({
          url: sim.url,
          auth: { method: "cookie", sessionid: "copied-cookie-0123456789" },
          school,
        }),
      );
      await ok(["source", "add", "school-esia", "--kind", "bars", "--config", cookieFile], env);
      expect((await ok(["source", "check", "school-esia"], env)).stdout).to.match(
        /school-esia: ok — .*cookie sessionid/,
      );
      sim.setFaults({ expiredSession: true });
      const dead = await runCli(["source", "check", "school-esia"], env);
      expect(dead.code).to.not.equal(0);
      expect(dead.stdout + dead.stderr).to.contain(barsMessages.sessionExpired);
    } finally {
      await sim.close();
    }
  });

  it("npm start -- --platform bars, in a fresh folder", async () => {
    // `npm start -- --platform bars` as written, in a fresh folder whose package.json runs this checkout's
    // start script there (the demo's data and out dirs land in the fresh folder); then the console, Ctrl-C.
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: { start: string };
    };
    const cwd = fresh();
    writeFileSync(
      join(cwd, "package.json"),
      JSON.stringify({
        name: "start-bars-test",
        private: true,
        scripts: { start: pkg.scripts.start.replace("bin/", `${ROOT}bin/`) },
      }),
    );
    const env = {
      ...process.env,
      DATABASE_URL: "",
      REDIS_URL: "",
      REGLAMENT_PORT: "0",
      REGLAMENT_SECRET: SECRET,
    };
    const p = startLong("npm", ["start", "--", "--platform", "bars"], env, cwd);
    await p.untilOut(/Console: http:\S+/);
    p.interrupt();
    const how = await p.exited;
    expect(p.out(), p.err().slice(-2000)).to.match(/Console: http:\S+/);
    expect(how, p.err().slice(-2000)).to.be.oneOf(["code 0", "signal SIGINT"]);
    expect(p.out()).to.match(/1\. Generating the small demo school/);
    expect(p.out()).to.match(/2\. Syncing it through the local BARS «Электронная школа» simulator/);
    expect(p.out()).to.match(/7\. Archiving the last closed period/);
    expect(existsSync(join(cwd, "out", "reports"))).to.equal(true);
  });
});
