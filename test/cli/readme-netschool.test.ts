// The README's NetSchool commands, run as written by the real executable against the NetSchool simulator:
// `source add … --kind netschool --config netschool.yaml` (password encrypted at rest), `source check`,
// and `npm start --platform netschool` (npm hands the option on as npm_config_platform).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import {
  type NetschoolSimulator,
  startNetschoolSimulator,
} from "../../src/connectors/netschool/simulator.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import { openStore } from "../../src/store/open-store.ts";
import { startLong } from "../support/long-running.ts";
import { runCli } from "../support/run-cli.ts";
import { demoSchoolDir } from "../sync/support/demo-school.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SECRET = "readme-test-secret-0123456789abcdef";
const fresh = () => mkdtempSync(join(tmpdir(), "reglament-readme-ns-"));

async function ok(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const r = await runCli(args, env, cwd);
  expect(r.code, `reglament ${args.join(" ")}\n${r.stderr}`).to.equal(0);
  expect(r.stderr, args.join(" ")).not.to.match(/\n\s+at /);
  return r;
}

/** The README's netschool.yaml, aimed at the simulator. */
function readmeYaml(): Record<string, unknown> {
  const m = /with `netschool\.yaml`:\n\n```yaml\n([\s\S]*?)```/.exec(README);
  if (!m) throw new Error("README: no netschool.yaml example");
  return parse(m[1]) as Record<string, unknown>;
}

describe("the README's NetSchool commands", function () {
  this.timeout(1_200_000);
  let sim: NetschoolSimulator;
  let yaml: Record<string, unknown>;

  before(async () => {
    yaml = readmeYaml();
    const ds = await loadDataset(await demoSchoolDir("small", 1));
    sim = await startNetschoolSimulator({
      dataset: ds,
      login: String(yaml.login),
      password: String(yaml.password),
    });
  });
  after(() => sim?.close());

  it("reglament source add sgo-school-39 --kind netschool --config netschool.yaml, source check sgo-school-39", async () => {
    const cwd = fresh();
    const env = { REGLAMENT_DATA_DIR: join(cwd, "pglite"), REGLAMENT_SECRET: SECRET };
    writeFileSync(
      join(cwd, "netschool.yaml"),
      stringify({ ...yaml, baseUrl: sim.url, schoolId: sim.schoolId }),
    );
    const add = await ok(
      ["source", "add", "sgo-school-39", "--kind", "netschool", "--config", "netschool.yaml"],
      env,
      cwd,
    );
    expect(add.stdout).to.match(/Source sgo-school-39 \(netschool\) added/);
    const check = await ok(["source", "check", "sgo-school-39"], env, cwd);
    expect(check.stdout).to.match(
      /sgo-school-39: ok — роли Admin; читается: вся школа \(11 кл\., 255 уч\.\); версия сервера 5\.43/,
    );
    expect(sim.openSessions(), "source check logs out").to.equal(0);
    // The password is stored encrypted, never as written.
    const db = await openStore({ dataDir: env.REGLAMENT_DATA_DIR });
    try {
      const [row] = await db.query<{ config: { password: string } }>(
        "SELECT config FROM sources WHERE id = 'sgo-school-39'",
      );
      expect(row.config.password).to.match(/^v1\./);
      expect(JSON.stringify(row.config)).not.to.contain(String(yaml.password));
    } finally {
      await db.close();
    }
    const list = await ok(["source", "list"], env, cwd);
    expect(list.stdout).not.to.contain(String(yaml.password));
  });

  it("npm start --platform netschool", async () => {
    // Run through npm exactly as written; a config file keeps its demo school, reports and archive in a
    // fresh folder instead of the checkout.
    const dir = fresh();
    const config = join(dir, "school.yaml");
    writeFileSync(
      config,
      stringify({
        demo: { size: "small", seed: 1, dir: join(dir, "demo") },
        outDir: join(dir, "out"),
        archive: {
          targets: [
            { id: "media-a", path: join(dir, "out", "archive", "a"), description: "Носитель 1" },
            { id: "media-b", path: join(dir, "out", "archive", "b"), description: "Носитель 2" },
          ],
        },
      }),
    );
    // It runs the pipeline, then serves the console until Ctrl-C (REGLAMENT_PORT=0: any free port).
    const p = startLong(
      "npm",
      ["start", "--platform", "netschool"],
      {
        ...process.env,
        DATABASE_URL: "",
        REDIS_URL: "",
        REGLAMENT_PORT: "0",
        REGLAMENT_CONFIG: config,
        REGLAMENT_DATA_DIR: join(dir, "pglite"),
      },
      ROOT,
    );
    await p.untilOut(/Console: http:\S+/);
    p.interrupt();
    const how = await p.exited;
    const r = { out: p.out(), err: p.err() };
    expect(r.out, r.err.slice(-2000)).to.match(/Console: http:\S+/);
    expect(how, r.err.slice(-2000)).to.be.oneOf(["code 0", "signal SIGINT"]);
    expect(r.out).to.match(
      /2\. Syncing it through the local NetSchool \(«Сетевой город\. Образование»\) simulator/,
    );
    expect(r.out).to.match(/4\. Checking the journal against the regulation/);
    expect(r.out).to.match(/7\. Archiving the last closed period/);
    expect(existsSync(join(dir, "out", "reports"))).to.equal(true);
  });
});
