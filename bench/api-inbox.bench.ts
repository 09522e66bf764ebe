// npm run bench:api — the deputy's inbox on a school with 12,000 open findings (and 8,000 resolved),
// through the real HTTP app with a real session, on PGlite and on PostgreSQL (DATABASE_URL): server
// time of the first page (default sort, severity sort, a teacher filter, facets) and of the compliance
// board. Issue 10 asks the inbox's first page under 300 ms server time.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiApp } from "../src/api/app.ts";
import { createUser } from "../src/api/users.ts";
import { loadConfig } from "../src/config/load-config.ts";
import { createMemoryQueue } from "../src/queue/memory-queue.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import { Client } from "../test/api/support.ts";
import { dropSchema } from "../test/support/engines.ts";

const SCHOOL = "bench-school";
const OPEN = 12_000;
const RESOLVED = 8_000;
const NOW = new Date("2026-01-20T12:00:00Z");

/** A school of 60 teachers, 30 classes, 15 subjects, 20,000 lessons, one finding per lesson. */
async function fill(db: Db): Promise<void> {
  const seen = "'2025-09-01T00:00:00Z'";
  await db.query(
    "INSERT INTO schools (id, name, timezone, workweek) VALUES ($1, 'Школа (бенчмарк)', 'Europe/Moscow', 5)",
    [SCHOOL],
  );
  await db.exec(`
    INSERT INTO persons (school_id, key, id, role, name, hash, first_seen_at, changed_at)
      SELECT '${SCHOOL}', 't' || g, 't' || g, 'teacher', 'Учитель ' || g, 'h', ${seen}, ${seen} FROM generate_series(1, 60) g;
    INSERT INTO classes (school_id, key, id, grade, letter, hash, first_seen_at, changed_at)
      SELECT '${SCHOOL}', 'c' || g, 'c' || g, 1 + g % 11, 'А', 'h', ${seen}, ${seen} FROM generate_series(1, 30) g;
    INSERT INTO subjects (school_id, key, id, name, hash, first_seen_at, changed_at)
      SELECT '${SCHOOL}', 's' || g, 's' || g, 'Предмет ' || g, 'h', ${seen}, ${seen} FROM generate_series(1, 15) g;
    INSERT INTO lessons (school_id, key, id, class_id, subject_id, teacher_id, day, number, hash, first_seen_at, changed_at)
      SELECT '${SCHOOL}', 'l' || g, 'l' || g, 'c' || (1 + g % 30), 's' || (1 + g % 15), 't' || (1 + g % 60),
        DATE '2025-09-01' + (g % 140), 1 + g % 7, 'h', ${seen}, ${seen}
      FROM generate_series(1, ${OPEN + RESOLVED}) g;
    INSERT INTO violations (school_id, fingerprint, rule_id, clause, entity, responsible_id, deadline, detected_at,
        status, level, evidence, message, last_checked_at, resolved_at)
      SELECT '${SCHOOL}', 'f' || g,
        (ARRAY['lesson.topic.late', 'homework.late', 'attendance.not-taken', 'mark.written.late'])[1 + g % 4], '001 §3.5',
        jsonb_build_object('kind', 'lesson', 'key', 'l' || g, 'lessonId', 'l' || g, 'classId', 'c' || (1 + g % 30),
          'subjectId', 's' || (1 + g % 15)),
        't' || (1 + g % 60), (DATE '2025-09-01' + (g % 140)) + TIME '12:00', (DATE '2025-09-01' + (g % 140)) + TIME '20:00',
        CASE WHEN g <= ${OPEN} THEN 'open' ELSE 'resolved' END, g % 4,
        jsonb_build_object('kind', 'missing', 'observedAt', '2025-12-01T10:00:00Z'),
        'Не записана тема: урок ' || g || '. Срок — 01.12.2025 15:00.', ${seen},
        CASE WHEN g <= ${OPEN} THEN NULL ELSE TIMESTAMPTZ '2025-12-02T10:00:00Z' END
      FROM generate_series(1, ${OPEN + RESOLVED}) g;
  `);
  await db.exec("ANALYZE");
  await createUser(db, {
    login: "bench-deputy",
    displayName: "Завуч",
    password: "bench-password-1",
    role: "deputy",
    schoolIds: [SCHOOL],
    personId: null,
  });
}

async function timed(c: Client, path: string, runs = 15): Promise<string> {
  await c.call("GET", path); // warm-up (plans, caches)
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const res = await c.call("GET", path);
    ms.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  ms.sort((a, b) => a - b);
  return `median ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms, max ${ms[ms.length - 1].toFixed(0)} ms`;
}

async function bench(label: string, db: Db): Promise<void> {
  const t = performance.now();
  await fill(db);
  console.log(
    `${label}: ${OPEN} open + ${RESOLVED} resolved findings written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const queue = createMemoryQueue("bench-api");
  const app = createApiApp({ db, config: loadConfig({ env: {} }), queue, now: () => NOW }, { webDir: null });
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, "127.0.0.1", () => ok(s));
  });
  const c = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await c.login("bench-deputy", "bench-password-1");
  try {
    const base = `/api/v1/schools/${SCHOOL}`;
    // loopback HTTP round trips: the server time plus well under a millisecond of transport
    console.log(`  inbox first page (open, newest):   ${await timed(c, `${base}/findings?status=open`)}`);
    console.log(
      `  inbox first page (open, severity): ${await timed(c, `${base}/findings?status=open&sort=severity`)}`,
    );
    console.log(
      `  inbox filtered by teacher:         ${await timed(c, `${base}/findings?status=open&teacher=t7`)}`,
    );
    console.log(
      `  inbox page 100:                    ${await timed(c, `${base}/findings?status=open&page=100`)}`,
    );
    console.log(`  facets:                            ${await timed(c, `${base}/findings/facets`)}`);
    console.log(
      `  compliance board (period):         ${await timed(c, `${base}/compliance?range=period&from=2025-09-01`, 5)}`,
    );
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await queue.close();
  }
}

const pglite = await openStore({});
try {
  await bench("PGlite", pglite);
} finally {
  await pglite.close();
}
const url = process.env.DATABASE_URL;
if (url) {
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const pg = await openStore({ databaseUrl: url, schema });
  try {
    await bench("PostgreSQL", pg);
  } finally {
    await pg.close();
    await dropSchema(schema, url);
  }
} else console.log("PostgreSQL: skipped (set DATABASE_URL)");
