// The next school day of a demo dataset as a later observation: the observed day's timetable repeated
// on the next working day (every 40th copy without its topic), the observed day's missing attendance
// filled in. Used by bench:rules and the incremental-equals-full test; apply it again for more days.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SchoolCalendar } from "../../src/calendar/index.ts";

export function nextSchoolDay(dir: string): { dir: string; date: string; added: number } {
  const out = mkdtempSync(join(tmpdir(), "next-school-day-"));
  cpSync(dir, out, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const cal = new SchoolCalendar({ timezone: manifest.school.timezone, workweek: manifest.school.workweek });
  const observed = cal.dateOf(manifest.observedAt);
  const next = cal.nextWorkingDay(observed);
  const offset = manifest.observedAt.slice(19);
  const lines = readFileSync(join(dir, "lessons.jsonl"), "utf8").split("\n").filter(Boolean);
  const added: string[] = [];
  const updated = lines.map((line) => {
    const l = JSON.parse(line);
    if (l.date !== observed) return line;
    if (!l.attendanceRecordedAt) l.attendanceRecordedAt = `${observed}T19:00:00${offset}`;
    const copy = { ...l, id: `${l.id}-n`, date: next };
    for (const k of ["topicRecordedAt", "homeworkRecordedAt", "attendanceRecordedAt"])
      if (copy[k]) copy[k] = `${next}${String(copy[k]).slice(10)}`;
    if (added.length % 40 === 0) {
      delete copy.topic;
      delete copy.topicRecordedAt;
      delete copy.topicAuthorId;
    }
    added.push(JSON.stringify(copy));
    return JSON.stringify(l);
  });
  writeFileSync(join(out, "lessons.jsonl"), `${[...updated, ...added].join("\n")}\n`);
  manifest.observedAt = `${next}T18:00:00${offset}`;
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
  return { dir: out, date: next, added: added.length };
}
