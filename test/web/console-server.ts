// The console as a deputy director meets it, for the browser tests: the small demo school (a few
// classes) imported into a fresh store and checked, a user of every role, the in-process queue with
// the real job handlers, the Moodle simulator for the admin's new source, and the real HTTP app
// serving the built SPA from dist/web (built first when missing).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createApiApp, DEFAULT_WEB_DIR } from "../../src/api/app.ts";
import type { Role } from "../../src/api/types.ts";
import { createUser } from "../../src/api/users.ts";
import { jobHandlers } from "../../src/cli/commands/worker.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { type MoodleSimulator, startMoodleSimulator } from "../../src/connectors/moodle/simulator.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import { createMemoryQueue } from "../../src/queue/memory-queue.ts";
import type { QueueWorker } from "../../src/queue/types.ts";
import { runCheck } from "../../src/rules/engine.ts";
import type { Db } from "../../src/store/db.ts";
import { tinyDataset } from "../connectors/moodle/tiny-dataset.ts";
import { openDemoStore } from "../reports/builders/demo-store.ts";
import { dropSchema } from "../support/engines.ts";

export const PASSWORD = "Пароль-для-демо-1";
export const MOODLE_TOKEN = "console-test-moodle-token-0123456789";

export interface ConsoleServer {
  base: string;
  db: Db;
  schoolId: string;
  /** The teacher account's person id (the teacher with the most open findings). */
  teacherPersonId: string;
  moodle: MoodleSimulator;
  moodleDataset: Dataset;
  login(role: Role): string;
  close(): Promise<void>;
}

/** `npm ci` builds the console (prepare); a checkout that has not run it builds it here. */
export function ensureWebBuilt(): void {
  if (existsSync(`${DEFAULT_WEB_DIR}/index.html`)) return;
  const root = fileURLToPath(new URL("../..", import.meta.url));
  execFileSync("npm", ["run", "--silent", "build:web"], { cwd: root, stdio: "ignore" });
}

/** The store the console serves: PostgreSQL (a schema of its own) when DATABASE_URL is set, else PGlite. */
export const CONSOLE_ENGINE = process.env.DATABASE_URL ? "postgres" : "pglite";

export async function startConsoleServer(): Promise<ConsoleServer> {
  ensureWebBuilt();
  const schema = process.env.DATABASE_URL ? `web_${randomBytes(6).toString("hex")}` : undefined;
  const { db, schoolId } = await openDemoStore(
    [7],
    schema ? { databaseUrl: process.env.DATABASE_URL, schema } : {},
  );
  const [{ observed }] = await db.query<{ observed: Date }>(
    "SELECT max(observed_at) AS observed FROM sync_runs WHERE status = 'ok'",
  );
  await runCheck(db, schoolId, { preset: "default", asOf: new Date(observed ?? Date.now()) });
  const [top] = await db.query<{ responsible_id: string }>(
    `SELECT responsible_id FROM violations WHERE school_id = $1 AND status = 'open' AND responsible_id IS NOT NULL
     GROUP BY responsible_id ORDER BY count(*) DESC LIMIT 1`,
    [schoolId],
  );
  const moodleDataset = tinyDataset();
  const moodleSchool = moodleDataset.manifest.school;
  await db.query(
    "INSERT INTO schools (id, name, timezone, workweek) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    [moodleSchool.id, moodleSchool.name, moodleSchool.timezone, moodleSchool.workweek],
  );
  const people: [Role, string, string[]][] = [
    ["deputy", "Анна Сергеевна Волкова", [schoolId]],
    ["director", "Пётр Ильич Орлов", [schoolId]],
    ["coordinator", "Мария Андреевна Лебедева", [schoolId]],
    ["teacher", "Учитель (демо)", [schoolId]],
    ["admin", "Игорь Николаевич Смирнов", [schoolId, moodleSchool.id]],
  ];
  for (const [role, displayName, schoolIds] of people) {
    await createUser(db, {
      login: `${role}-demo`,
      displayName,
      password: PASSWORD,
      role,
      schoolIds,
      personId: role === "teacher" ? top.responsible_id : null,
    });
  }
  const moodle = await startMoodleSimulator({ dataset: moodleDataset, token: MOODLE_TOKEN });
  const config = loadConfig({ env: {} });
  const queue = createMemoryQueue("console-test", { defaultAttempts: 1 });
  const worker: QueueWorker = queue.process(jobHandlers(db, queue, config), { concurrency: 1 });
  // The console sees the demo's "now" (as `npm start` does): the moment the demo school was observed.
  const observedAt = new Date(observed ?? Date.now());
  const app = createApiApp({ db, config, queue, now: () => observedAt }, { webDir: DEFAULT_WEB_DIR });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    schoolId,
    teacherPersonId: top.responsible_id,
    moodle,
    moodleDataset,
    login: (role) => `${role}-demo`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await worker.close();
      await queue.close();
      await moodle.close();
      await db.close();
      if (schema) await dropSchema(schema);
    },
  };
}
