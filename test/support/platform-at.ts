// The platform as it stood at one instant: what a sync at `at` would have read of the school's journal.
// Entries appear only once their entry time has passed, and every entry time is stripped, so that a store
// fed with these snapshots learns when things were entered only by observing them (first seen / last
// absent), as it must on a platform that gives no entry times.
import { DateTime } from "luxon";
import type { Dataset } from "../../src/dataset/types.ts";

/** Kept when the entry has no known time (it was always there) or was entered by `at`. */
const enteredBy = (recordedAt: string | undefined, at: number): boolean =>
  recordedAt === undefined || Date.parse(recordedAt) <= at;

export function platformAt(ds: Dataset, at: Date): Dataset {
  const t = at.getTime();
  const zone = ds.manifest.school.timezone;
  const today = DateTime.fromJSDate(at, { zone }).toISODate()!;
  const s = ds.streams;
  const attendanceTime = new Map(s.lessons.map((l) => [l.id, l.attendanceRecordedAt]));
  return {
    manifest: { ...ds.manifest, observedAt: DateTime.fromJSDate(at, { zone }).toISO()! },
    streams: {
      ...s,
      // The timetable is there ahead of time; what a teacher types into a lesson appears when typed.
      lessons: s.lessons.map((l) => {
        const {
          topicRecordedAt,
          homeworkRecordedAt,
          attendanceRecordedAt: _attendance,
          topic,
          topicAuthorId,
          homework,
          ...rest
        } = l;
        return {
          ...rest,
          ...(topic !== undefined && enteredBy(topicRecordedAt, t)
            ? { topic, ...(topicAuthorId ? { topicAuthorId } : {}) }
            : {}),
          ...(homework !== undefined && enteredBy(homeworkRecordedAt, t) ? { homework } : {}),
        };
      }),
      marks: s.marks.filter((m) => enteredBy(m.recordedAt, t)).map(({ recordedAt: _r, ...m }) => m),
      attendance: s.attendance
        .filter((a) => enteredBy(a.recordedAt ?? attendanceTime.get(a.lessonId), t))
        .map(({ recordedAt: _r, ...a }) => a),
      periodMarks: s.periodMarks
        .filter((p) => enteredBy(p.recordedAt, t))
        .map(({ recordedAt: _r, ...p }) => p),
      activity: s.activity.filter((a) => a.date <= today),
      outages: s.outages.filter((o) => Date.parse(o.from) <= t),
    },
  };
}
