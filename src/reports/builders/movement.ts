// Движение учащихся (001 §3.3): per class, students at the start and end of a period, arrived and
// left. The platform keeps no enrolment dates, so arrival and departure are what the syncs observed:
// a student first seen after the period began (and proven absent before) arrived; one seen gone left.
import { DateTime } from "luxon";
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { Report, Row } from "../model.ts";
import { loadPeriod, loadRoster, loadStudentPresence, type StudentPresence } from "../report-data.ts";
import { frame, sum } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { periodParamsSchema } from "./params.ts";

export const movementParamsSchema = periodParamsSchema;

export async function buildMovement(
  db: Db,
  schoolId: string,
  params: z.infer<typeof movementParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const period = await loadPeriod(db, schoolId, params.periodId);
  const presence = await loadStudentPresence(db, schoolId);
  const tz = roster.school.timezone;
  const localDay = (d: Date) => DateTime.fromJSDate(d).setZone(tz).toISODate() ?? "";
  const inPeriod = (d: Date | null) => d !== null && localDay(d) >= period.start && localDay(d) <= period.end;
  const arrived = (s: StudentPresence) => s.lastAbsentAt !== null && inPeriod(s.firstSeenAt);
  const left = (s: StudentPresence) => inPeriod(s.deletedAt);
  // Present at the end: live, or removed only after the period; and already there (not arriving later).
  const presentAtEnd = (s: StudentPresence) =>
    (s.deletedAt === null || localDay(s.deletedAt) > period.end) &&
    !(s.lastAbsentAt !== null && localDay(s.firstSeenAt) > period.end);

  const rows: Row[] = [];
  const events: Row[] = [];
  for (const c of roster.classes) {
    const mine = presence.filter((s) => s.classId === c.id);
    const end = mine.filter(presentAtEnd).length;
    const plus = mine.filter(arrived);
    const minus = mine.filter(left);
    const start = end - plus.length + minus.length;
    rows.push({ class: c.name, start, arrived: plus.length, left: minus.length, end });
    for (const s of plus)
      events.push({
        class: c.name,
        student: s.name,
        event: m.movement.arrived,
        when: localDay(s.firstSeenAt),
      });
    for (const s of minus)
      events.push({
        class: c.name,
        student: s.name,
        event: m.movement.left,
        when: localDay(s.deletedAt as Date),
      });
  }
  const total = (k: string) => sum(rows.map((r) => Number(r[k])));
  return frame({
    kind: "movement",
    school: roster.school,
    parameters: [{ label: m.params.period, value: periodName(period) }],
    sections: [
      {
        heading: m.movement.byClass,
        paragraphs: [m.movement.note],
        tables: [
          {
            columns: [
              { key: "class", title: m.col.class, kind: "text", width: 2 },
              { key: "start", title: m.col.atStart, kind: "int", width: 2 },
              { key: "arrived", title: m.col.arrived, kind: "int", width: 2 },
              { key: "left", title: m.col.left, kind: "int", width: 2 },
              { key: "end", title: m.col.atEnd, kind: "int", width: 2 },
            ],
            rows,
            totalsRow: {
              class: m.totals,
              start: total("start"),
              arrived: total("arrived"),
              left: total("left"),
              end: total("end"),
            },
          },
        ],
      },
      {
        heading: m.movement.list,
        tables: [
          {
            columns: [
              { key: "class", title: m.col.class, kind: "text", width: 1 },
              { key: "student", title: m.col.student, kind: "text", width: 4 },
              { key: "event", title: m.col.event, kind: "text", width: 2 },
              { key: "when", title: m.col.when, kind: "date", width: 2 },
            ],
            rows: events,
          },
        ],
      },
    ],
  });
}
