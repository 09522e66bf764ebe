// Every command the README shows, run as written by the real executable, each from a clean store.
// The README's commands are extracted from it; one it gains without a case here fails the first test.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { stringify } from "yaml";
import type { Dataset } from "../../src/dataset/types.ts";
import type { Mark } from "../../src/model/records.ts";
import { tinySchool, writeDataset } from "../support/dataset-builder.ts";
import { startLong } from "../support/long-running.ts";
import { BIN, runCli } from "../support/run-cli.ts";
import { startSimulatedSource } from "../sync/support/simulated-source.ts";
import { BARS_README_COMMANDS } from "./readme-bars-commands.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SECRET = "readme-test-secret-0123456789abcdef";

/** Commands in the README: inline code and lines of shell blocks that run npm, npx, bash or reglament. */
function readmeCommands(text: string): string[] {
  const found = new Set<string>();
  const add = (raw: string) => {
    for (const part of raw.replace(/\\\|/g, "|").split("&&")) {
      const c = part.replace(/\s+#.*$/, "").trim();
      if (/^(npx reglament |reglament |npm |bash )/.test(c)) found.add(c);
    }
  };
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) for (const l of block[1].split("\n")) add(l);
  const prose = text.replace(/```[\s\S]*?```/g, "");
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) add(m[1]);
  return [...found].sort();
}

// Not run here, and why. Everything else the README shows has a case below.
const EXCLUDED: Record<string, string> = {
  "npm ci": "installs dependencies from the registry; tests run on the installed tree",
  "npm test": "the suite itself",
  "bash .ci/run": "CI's installer: apt-get, starts PostgreSQL and Redis, then lint and the suite",
  "npm run bench:store": "a benchmark on the large demo school (minutes; the README: none is a test)",
  "npm run bench:sync": "a benchmark on the large demo school (minutes; the README: none is a test)",
  "npm run bench:rules": "a benchmark on the large demo school (minutes; the README: none is a test)",
  "npm run bench:archive": "a benchmark on the large demo school (minutes; the README: none is a test)",
  "npm run bench:cli": "a benchmark of start-up times (the README: none is a test)",
  "npm run bench:api": "a benchmark of the console's inbox and compliance board (the README: none is a test)",
  "npm run bench:region":
    "a benchmark of 60 schools through 1 and 2 worker processes (minutes; none is a test)",
  "reglament worker": "run as written (bin/reglament.js worker) by test/queue/worker-processes.test.ts",
  "npm run build":
    "compiles src/ to dist/ (npm ci runs it); every test that starts the executable runs that build while current",
  "reglament source add sgo-school-39 --kind netschool --config netschool.yaml":
    "run by test/cli/readme-netschool.test.ts",
  "reglament source check sgo-school-39": "run by test/cli/readme-netschool.test.ts",
  "npm start --platform netschool": "run by test/cli/readme-netschool.test.ts",
  ...Object.fromEntries(
    [
      "reglament import-sheet <file...> --mapping <file|preset> [--source ID]",
      "reglament import-sheet history-7b.csv --mapping my-journal.yaml",
      "reglament import-sheet journal-7a.xlsx --mapping journal-month-days --school-year 2025",
      "reglament import-sheet svodnaya-7a.xlsx --mapping my-summary.yaml",
    ].map((c) => [c, "run as written by test/cli/readme-import-sheet.test.ts"]),
  ),
};

const COVERED = [
  "npm start",
  "npx reglament --help",
  "npx reglament migrate",
  "npx reglament start --once",
  "reglament start",
  "reglament start --once",
  "reglament import <dir>",
  "reglament export <dir> [--school ID]",
  "reglament demo generate --size small|medium|large --seed N --out <dir>",
  "reglament status",
  "reglament migrate",
  "reglament config validate [file]",
  "reglament quarantine [--run N]",
  "reglament source add <id> --kind dnevnik|moodle --config FILE",
  "reglament source check <id>",
  "reglament sync [--source ID] [--full]",
  "reglament serve",
  "reglament serve [--port 8080] [--host 127.0.0.1]",
  "reglament user add it-admin --role admin --school ID",
  "reglament user passwd <login>",
  "reglament user role <login> <role>",
  "reglament user list",
];

const fresh = () => mkdtempSync(join(tmpdir(), "reglament-readme-"));
/** A clean store: embedded PGlite in a new folder (DATABASE_URL cleared by runCli). */
const cleanEnv = () => ({ REGLAMENT_DATA_DIR: join(fresh(), "pglite"), REGLAMENT_SECRET: SECRET });

async function ok(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const r = await runCli(args, env, cwd);
  expect(r.code, `reglament ${args.join(" ")}\n${r.stderr}`).to.equal(0);
  expect(r.stderr, args.join(" ")).not.to.match(/\n\s+at /);
  return r;
}

describe("the README's commands", function () {
  this.timeout(1_200_000);

  it("each command the README shows is run below or excluded with a reason", () => {
    const commands = readmeCommands(README);
    expect(commands).to.include("reglament source add <id> --kind dnevnik|moodle --config FILE");
    expect(commands).to.include("npx reglament --help");
    const accounted = new Set([...COVERED, ...BARS_README_COMMANDS, ...Object.keys(EXCLUDED)]);
    expect(
      commands.filter((c) => !accounted.has(c)),
      "README commands without a test",
    ).to.deep.equal([]);
    expect(
      [...accounted].filter((c) => !commands.includes(c)),
      "cases for commands the README no longer shows",
    ).to.deep.equal([]);
  });

  it("npx reglament --help", async () => {
    const r = await ok(["--help"], cleanEnv());
    for (const c of ["start", "import", "export", "demo", "status", "migrate", "config", "quarantine"])
      expect(r.stdout).to.match(new RegExp(`\\n\\s+${c}\\b`));
    for (const c of ["source", "sync", "serve"]) expect(r.stdout).to.match(new RegExp(`\\n\\s+${c}\\b`));
  });

  it("reglament migrate, npx reglament migrate, then reglament status on a clean store", async () => {
    const env = cleanEnv();
    const m = await ok(["migrate"], env);
    expect(m.stdout).to.match(/Applied 001_canonical_model/);
    const again = await ok(["migrate"], env);
    expect(again.stdout).to.match(/is up to date/);
    const s = await ok(["status"], env);
    expect(s.stdout).to.match(/No school yet/);
  });

  it("reglament config validate [file]", async () => {
    await ok(["config", "validate"], cleanEnv());
    const file = join(fresh(), "school.yaml");
    writeFileSync(file, "queue:\n  concurrency: 3\n");
    const r = await ok(["config", "validate", file], cleanEnv());
    expect(r.stdout).to.contain(file);
  });

  it("reglament demo generate …, import <dir>, export <dir> [--school ID], status, quarantine [--run N]", async () => {
    const env = cleanEnv();
    const demo = join(fresh(), "demo");
    for (const size of ["small", "medium", "large"]) {
      const help = await ok(["demo", "generate", "--help"], env);
      expect(help.stdout).to.contain(size);
    }
    await ok(["demo", "generate", "--size", "small", "--seed", "7", "--out", demo], env);
    expect(existsSync(join(demo, "ground-truth.jsonl"))).to.equal(true);
    // A dataset with one bad line, so import and quarantine have something to show.
    const dir = writeDataset(tinySchool(), { extraLines: { marks: ['{"id":"m9","studentId":"s1"'] } });
    const imp = await ok(["import", dir], env);
    expect(imp.stdout).to.match(/marks\.jsonl:3: invalid JSON/);
    expect(imp.stdout).to.match(/reglament quarantine --run \d+/);
    const run = /reglament quarantine --run (\d+)/.exec(imp.stdout)?.[1] as string;
    const q = await ok(["quarantine", "--run", run], env);
    expect(q.stdout).to.match(/marks\s+marks\.jsonl:3\s+—\s+invalid JSON/);
    expect((await ok(["quarantine"], env)).stdout).to.match(/marks\.jsonl:3/);
    const out = join(fresh(), "export");
    await ok(["export", out], env);
    const exp = await ok(["export", join(fresh(), "export2"), "--school", "sch1"], env);
    expect(exp.stdout).to.match(/Exported school sch1/);
    const status = await ok(["status"], env);
    expect(status.stdout).to.match(/School sch1/);
  });

  for (const kind of ["moodle", "dnevnik"] as const) {
    it(`reglament source add <id> --kind ${kind} --config FILE, source check <id>, sync [--source ID] [--full]`, async () => {
      const ds: Dataset = tinySchool();
      // A mark no platform scale has: the sync quarantines it and says why, without the value.
      ds.streams.marks.push({
        id: "m-bad",
        studentId: "s2",
        subjectId: "math",
        lessonId: "l1",
        value: "7",
      } as unknown as Mark);
      const sim = await startSimulatedSource(kind, ds);
      try {
        const env = cleanEnv();
        const file = join(fresh(), `${kind}.yaml`);
        writeFileSync(file, stringify(sim.config));
        const add = await ok(["source", "add", "school-1", "--kind", kind, "--config", file], env);
        expect(add.stdout).to.match(/Source school-1 \(.+\) added/);
        // The global --config before the command is still the school's config, and still validated.
        const school = join(fresh(), "school.yaml");
        writeFileSync(school, "queue:\n  concurrency: 1\n");
        await ok(["--config", school, "source", "add", "school-2", "--kind", kind, "--config", file], env);
        const check = await ok(["source", "check", "school-1"], env);
        expect(check.stdout).to.match(/school-1: ok/);
        const sync = await ok(["sync", "--source", "school-1"], env);
        expect(sync.stdout).to.match(/Source school-1: school /);
        if (kind === "moodle") {
          // Moodle's grade 7 is no mark 1–5 (the Dnevnik.ru simulator serves no such mark).
          expect(sync.stdout).to.match(/record\(s\) quarantined, first ones:\n {2}\S.*: /);
          expect(sync.stdout).to.match(/All of them: `reglament quarantine --run \d+`/);
        }
        expect(sync.stdout, "no marks or names in the output").not.to.match(
          /\b7\b.*not a mark|Петров|Сидорова/,
        );
        // Every source (school-1 and school-2, the same school), in full.
        const full = await ok(["sync", "--full"], env);
        expect(full.stdout).to.match(/Source school-2: school /);
      } finally {
        await sim.close();
      }
    });
  }

  /** Starts a long-running command; resolves once stderr/stdout match, or it ended. */

  it("reglament serve runs until SIGTERM and stops cleanly; [--port 8080] [--host 127.0.0.1] serves the console", async () => {
    for (const args of [["serve"], ["serve", "--port", "0", "--host", "127.0.0.1"]]) {
      // REGLAMENT_PORT=0: the default port 8080 may be taken on a shared test machine.
      const env = {
        ...process.env,
        DATABASE_URL: "",
        REDIS_URL: "",
        ...cleanEnv(),
        LOG_FORMAT: "json",
        REGLAMENT_PORT: "0",
      };
      const p = startLong(process.execPath, [BIN, ...args], env);
      await p.untilErr(/serving: scheduler and worker started/);
      expect(p.err()).to.match(/serving: scheduler and worker started/);
      const url = /Console: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())?.[1] as string;
      expect(url, p.out()).to.be.a("string");
      expect(await (await fetch(`${url}healthz`)).json()).to.deep.equal({ status: "ok" });
      expect((await fetch(`${url}api/v1/session`)).status).to.equal(401);
      p.child.kill("SIGTERM");
      const how = await p.exited;
      expect(how, `stderr:\n${p.err().slice(-2000)}`).to.equal("code 0");
      expect(p.err()).to.match(/"stopped"/);
    }
  });

  it("reglament user add it-admin --role admin --school ID, user passwd <login>, user role <login> <role>, user list", async () => {
    const env = { ...cleanEnv(), REGLAMENT_USER_PASSWORD: "readme-password-1" };
    const add = await ok(["user", "add", "it-admin", "--role", "admin", "--school", "ID"], env);
    expect(add.stdout).to.match(/User it-admin \(admin\) added to ID/);
    expect(add.stdout + add.stderr).not.to.contain("readme-password-1");
    await ok(["user", "passwd", "it-admin"], { ...env, REGLAMENT_USER_PASSWORD: "readme-password-2" });
    await ok(["user", "role", "it-admin", "director"], env);
    const list = await ok(["user", "list"], env);
    expect(list.stdout).to.match(/it-admin\s+director \(Директор\)\s+ID\s+active/);
    const noPassword = await runCli(
      ["user", "add", "x-user", "--role", "admin", "--school", "ID"],
      cleanEnv(),
    );
    expect(noPassword.code).to.equal(1);
    expect(noPassword.stderr).to.match(/no password/);
  });

  it("npm start: the pipeline, then the console with demo accounts until Ctrl-C", async () => {
    // `npm start` as written, in a fresh folder whose package.json runs this checkout's script there
    // (npm runs scripts in the package's folder: the demo's data and out dirs land in the fresh one).
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: { start: string };
    };
    const cwd = fresh();
    writeFileSync(
      join(cwd, "package.json"),
      JSON.stringify({
        name: "start-test",
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
    const p = startLong("npm", ["start"], env, cwd);
    await p.untilOut(/Console: http:\S+/);
    const url = /Console: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())?.[1] as string;
    expect(url, `${p.out()}\n${p.err().slice(-2000)}`).to.be.a("string");
    expect(p.out()).to.match(/7\. Archiving the last closed period/);
    for (const role of ["deputy", "coordinator", "admin", "director", "teacher"])
      expect(p.out()).to.match(new RegExp(`\\n${role}\\s+\\S{8,}\\s`));
    const password = /\ndeputy\s+(\S+)\s/.exec(p.out())?.[1] as string;
    expect(await (await fetch(`${url}healthz`)).json()).to.deep.equal({ status: "ok" });
    const login = await fetch(`${url}api/v1/session/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: "deputy", password }),
    });
    expect(login.status).to.equal(200);
    expect(((await login.json()) as { user: { role: string } }).user.role).to.equal("deputy");
    // The admin sees the demo's source (its token stored encrypted) with the run of step 2, and «sync
    // now» reaches the simulator, still running behind the console.
    await demoSourceSyncs(url, /\nadmin\s+(\S+)\s/.exec(p.out())?.[1] as string);
    p.interrupt();
    // reglament stops cleanly (exit 0, "stopped" logged); npm itself, having got the terminal's SIGINT
    // too, ends by that signal once its script has exited (npm's own behaviour on Ctrl-C).
    const how = await p.exited;
    expect(how, p.err().slice(-2000)).to.be.oneOf(["code 0", "signal SIGINT"]);
    expect(p.err()).to.match(/"message":"stopped"|stopped/);
    expect(p.err()).to.not.match(/ERR!|\n\s+at /);
  });

  it("reglament start --once = npx reglament start --once, in a fresh folder", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).to.equal("node bin/reglament.js start");
    const cwd = fresh();
    const r = await ok(["start", "--once"], {}, cwd);
    expect(r.stdout).to.match(/1\. Generating the small demo school/);
    expect(r.stdout).to.match(/7\. Archiving the last closed period/);
    expect(existsSync(join(cwd, "out", "reports"))).to.equal(true);
  });
});

/** Signs in as the demo admin and syncs the demo source from the console's API; checks what it stores. */
async function demoSourceSyncs(url: string, password: string): Promise<void> {
  const login = await fetch(`${url}api/v1/session/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: "admin", password }),
  });
  expect(login.status).to.equal(200);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  const session = (await login.json()) as { csrfToken: string; user: { schools: { id: string }[] } };
  const school = session.user.schools[0].id;
  const get = async (path: string) => (await fetch(url + path, { headers: { cookie } })).json();
  type Source = { id: string; config: Record<string, unknown>; lastRun: { id: number; status: string } };
  const [source] = (await get(`api/v1/schools/${school}/sources`)) as Source[];
  expect(source.id).to.equal("demo-dnevnik");
  expect(source.lastRun.status).to.equal("ok");
  expect(source.config.token).to.equal("••••");
  const sync = await fetch(`${url}api/v1/sources/demo-dnevnik/sync`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", "x-csrf-token": session.csrfToken },
    body: "{}",
  });
  expect(sync.status).to.equal(202);
  type Runs = { items: { id: number; status: string; requests: number; counts: { read: number } }[] };
  let runs: Runs = { items: [] };
  for (let i = 0; i < 600 && !(runs.items.length > 1 && runs.items[0].status !== "running"); i++) {
    await new Promise((r) => setTimeout(r, 100));
    runs = (await get("api/v1/sources/demo-dnevnik/runs")) as Runs;
  }
  expect(runs.items.map((r) => r.status)).to.deep.equal(["ok", "ok"]);
  expect(runs.items[0].requests).to.be.greaterThan(0);
  expect(runs.items[0].counts.read).to.be.greaterThan(0);
}
