// attendance.not-taken — attendance is marked for every lesson by the end of its day (001 §3.5
// "своевременно … сведения о посещаемости", 003 §4.2). Taken = the lesson's attendance time from the
// platform, or else the earliest attendance record of the lesson; absent = no proof of either. A platform
// that lists only absences (Discovery.attendanceEvidence) cannot prove an untaken lesson: no rows may
// mean everybody came, so there only a late first record is a finding.
import { z } from "zod";
import { dayTimeSchema, deadlineOn } from "./deadline-time.ts";
import { type EntryEvidence, judgeEntry } from "./evidence.ts";
import { indexLessons, lessonAuthor, lessonEntity } from "./lesson-index.ts";
import { localTime, messages, ruleTitles } from "./messages.ru.ts";
import type { AttendanceRow, Rule } from "./types.ts";

const params = z.object({
  by: dayTimeSchema.default("end-of-day"),
});

function earliest(rows: AttendanceRow[]): EntryEvidence {
  let best: AttendanceRow | undefined;
  let bestAt = Number.POSITIVE_INFINITY;
  for (const r of rows) {
    const t = Date.parse(r.recordedAt ?? r.firstSeenAt);
    if (t < bestAt) {
      bestAt = t;
      best = r;
    }
  }
  if (!best) return { present: false };
  return {
    present: true,
    recordedAt: best.recordedAt,
    firstSeenAt: best.firstSeenAt,
    lastAbsentAt: best.lastAbsentAt,
  };
}

export const rule: Rule<typeof params> = {
  id: "attendance.not-taken",
  title: ruleTitles["attendance.not-taken"],
  clause: "001 §3.5",
  params,
  incremental: "lesson-days",
  proofStreams: ["lessons", "attendance"],
  async evaluate(ctx) {
    const { calendar, asOf, data } = ctx;
    const [lessons, rows, idx, lessonObs, attObs, evidence] = await Promise.all([
      data.lessons(),
      data.attendance(),
      indexLessons(data),
      data.observation("lessons"),
      data.observation("attendance"),
      data.attendanceEvidence(),
    ]);
    const byLesson = new Map<string, AttendanceRow[]>();
    for (const r of rows) {
      const list = byLesson.get(r.lessonId);
      if (list) list.push(r);
      else byLesson.set(r.lessonId, [r]);
    }
    // Absence is proven only by a read of both streams after the deadline.
    const reads = [lessonObs.lastFullReadAt, attObs.lastFullReadAt];
    const fullRead = reads.some((r) => r === null) ? null : reads.sort()[0];
    const zone = calendar.timezone;
    for (const l of lessons) {
      const deadline = await ctx.shiftForOutages(deadlineOn(calendar, l.date, ctx.params.by));
      const entry: EntryEvidence = l.attendanceRecordedAt
        ? { present: true, recordedAt: l.attendanceRecordedAt, firstSeenAt: l.firstSeenAt }
        : earliest(byLesson.get(l.id) ?? []);
      // Where the platform lists only absences, a lesson without rows may be one everybody came to.
      if (!entry.present && evidence === "absences-only") continue;
      const v = judgeEntry(deadline, entry, fullRead, asOf);
      if (v.status !== "late" && v.status !== "missing") continue;
      const due = localTime(deadline, zone);
      ctx.report({
        entity: lessonEntity(l),
        responsibleId: lessonAuthor(l),
        deadline: deadline.toISOString(),
        evidence: v.evidence,
        message:
          v.status === "missing"
            ? messages.attendanceMissing(idx.label(l), due)
            : messages.attendanceLate(
                idx.label(l),
                due,
                localTime(new Date((entry.recordedAt ?? entry.firstSeenAt)!), zone),
              ),
      });
    }
  },
};
