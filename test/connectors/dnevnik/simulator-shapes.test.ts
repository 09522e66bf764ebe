// The simulator answers in the shapes public working clients of Dnevnik.ru show (real-shapes.md §1):
// ids beyond 2^53 with `*_str` twins wherever they occur (work types too), entry times with fractional
// seconds, bell times as UTC date-times, `marks/values` keys, the per-pupil attendance read, and the
// group attendance call only with a subject.
import { expect } from "chai";
import {
  type DnevnikSimulator,
  simulatedId,
  startDnevnikSimulator,
} from "../../../src/connectors/dnevnik/simulator.ts";
import { parseJson } from "../../../src/connectors/http/safe-json.ts";
import { tinyDataset } from "../../fixtures/dnevnik/tiny-dataset.ts";

const TOKEN = "0123456789abcdef0123456789abcdef";
const MARK_SYSTEMS = [
  "markna",
  "markdismiss",
  "mark5",
  "mark6",
  "mark10",
  "mark100",
  "markabcdf",
  "mark12",
  "mark7",
  "test",
  "markoral6band",
  "notset",
];
/** Keys the platform writes as an int64 with a `_str` twin. */
const ID_KEYS = [
  "id",
  "person",
  "lesson",
  "work",
  "eduGroup",
  "group",
  "subject",
  "reportingPeriod",
  "userId",
  "personId",
];
const FRACTION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,7}$/;

type Json = Record<string, unknown>;

/** Every object in a parsed body. */
function objects(body: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(body)) for (const v of body) objects(v, out);
  else if (body && typeof body === "object") {
    out.push(body as Json);
    for (const v of Object.values(body)) objects(v, out);
  }
  return out;
}

describe("Dnevnik simulator shapes (real-shapes.md §1)", () => {
  let sim: DnevnikSimulator;
  const ds = tinyDataset();
  const group = simulatedId("class", "c5a");
  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(new URL(path, sim.url), { headers: { "Access-Token": TOKEN } });
    return { status: res.status, body: parseJson(await res.text(), { bigIntsAsStrings: true }) };
  };
  const ok = async (path: string) => {
    const r = await get(path);
    expect(r.status, path).to.equal(200);
    return r.body;
  };

  before(async () => {
    sim = await startDnevnikSimulator({ dataset: ds, token: TOKEN });
  });
  after(() => sim.close());

  it("writes ids beyond 2^53 with their `*_str` twins everywhere, work types included", async () => {
    const bodies = await Promise.all([
      ok(`schools/${sim.schoolId}/edu-groups`),
      ok(`work-types/${sim.schoolId}`),
      ok(`edu-groups/${group}/persons`),
      ok(`edu-groups/${group}/lessons/2026-09-01/2026-12-31`),
      ok(`edu-groups/${group}/marks/2026-09-01/2026-12-31`),
      ok(`edu-groups/${group}/final-marks`),
      ok(`persons/${simulatedId("person", "s1")}/lesson-log-entries?startDate=2026-09-01&endDate=2026-09-30`),
    ]);
    let checked = 0;
    for (const o of objects(bodies)) {
      for (const key of ID_KEYS) {
        if (o[key] === null || o[key] === undefined || typeof o[key] === "object") continue;
        expect(o, `${key} has a _str twin`).to.have.property(`${key}_str`);
        expect(String(o[key])).to.equal(o[`${key}_str`]);
        expect(BigInt(String(o[key])) > BigInt(Number.MAX_SAFE_INTEGER), `${key} beyond 2^53`).to.equal(true);
        checked += 1;
      }
    }
    expect(checked).to.be.greaterThan(50);
    const workTypes = (await ok(`work-types/${sim.schoolId}`)) as Json[];
    expect(workTypes.length).to.be.greaterThan(0);
    for (const t of workTypes)
      expect(t.id_str)
        .to.be.a("string")
        .and.match(/^\d{19}$/);
    // works and marks name their work type by that id
    const marks = (await ok(`edu-groups/${group}/marks/2026-09-01/2026-12-31`)) as Json[];
    const ids = new Set(workTypes.map((t) => t.id_str));
    for (const m of marks) expect(ids.has(String(m.workType))).to.equal(true);
  });

  it("writes Mark.date as the entry time with fractional seconds, and mark-type keys of marks/values", async () => {
    const marks = (await ok(`edu-groups/${group}/marks/2026-09-01/2026-12-31`)) as Json[];
    const byId = new Map(marks.map((m) => [m.id_str, m]));
    expect(byId.get(simulatedId("mark", "M1"))?.date).to.equal("2026-09-01T15:42:07.315");
    expect(byId.get(simulatedId("mark", "M3"))?.date).to.equal("2026-09-01T10:15:00.000");
    // no entry time known: the lesson's day, which proves none
    expect(byId.get(simulatedId("mark", "M2"))?.date).to.equal("2026-10-15T00:00:00");
    expect(marks.map((m) => [m.value, m.type])).to.have.deep.members([
      ["5", "mark5"],
      ["4", "mark5"],
      ["Н/А", "markna"],
      ["ОСВ", "markdismiss"],
    ]);
    for (const m of marks) expect(MARK_SYSTEMS).to.include(m.type);
  });

  it("writes bell times as full UTC date-times, and EduGroup.journaltype in lower case", async () => {
    const t = (await ok(`edu-groups/${group}/timetables`)) as { Items: Json[] };
    expect(t.Items.map((i) => [i.LessonNumber, i.Start, i.Finish])).to.deep.equal([
      [1, "2026-09-01T03:30:00Z", "2026-09-01T04:15:00Z"],
      [2, "2026-09-01T04:25:00Z", "2026-09-01T05:10:00Z"],
    ]);
    const g = (await ok(`edu-groups/${group}`)) as Json;
    expect(g).to.have.property("journaltype");
    expect(g).to.not.have.property("journalType");
  });

  it("reads attendance per pupil (`{logEntries, lessons}`), `Pass` for any absence, createdDate with a fraction", async () => {
    const body = (await ok(
      `persons/${simulatedId("person", "s1")}/lesson-log-entries?startDate=2026-09-01&endDate=2026-09-30`,
    )) as { logEntries: Json[]; lessons: Json[] };
    expect(body.logEntries.map((e) => [e.lesson_str, e.status, e.createdDate])).to.deep.equal([
      [simulatedId("lesson", "L1"), "Attend", "2026-09-01T08:40:00.000"],
      [simulatedId("lesson", "L2"), "Pass", "2026-09-01T09:31:02.250"],
    ]);
    for (const e of body.logEntries) expect(e.createdDate).to.match(FRACTION);
    expect(body.lessons.map((l) => l.id_str)).to.have.members([
      simulatedId("lesson", "L1"),
      simulatedId("lesson", "L2"),
    ]);
    const empty = (await ok(
      `persons/${simulatedId("person", "s1")}/lesson-log-entries?startDate=2026-10-01&endDate=2026-10-30`,
    )) as { logEntries: Json[] };
    expect(empty.logEntries).to.deep.equal([]);
  });

  it("answers the group attendance call only with a subject", async () => {
    const bare = await get(`lesson-log-entries/group/${group}?from=2026-09-01&to=2026-09-30`);
    expect(bare.status).to.equal(400);
    expect(bare.body).to.deep.include({ type: "parameterInvalid" });
    const math = (await ok(
      `lesson-log-entries/group/${group}?subject=${simulatedId("subject", "math")}&from=2026-09-01&to=2026-09-30`,
    )) as Json[];
    expect(math.map((e) => [e.person_str, e.status])).to.have.deep.members([
      [simulatedId("person", "s1"), "Attend"],
      [simulatedId("person", "s2"), "Pass"],
    ]);
  });
});
