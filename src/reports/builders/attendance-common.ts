// Absence counts per student, shared by the attendance sheet and the class teacher's reports.
import type { AttendanceInfo } from "../report-data.ts";

export interface AbsenceCounts {
  /** Lessons missed: absent + ill + excused (a late arrival is not a missed lesson). */
  missed: number;
  ill: number;
  excused: number;
  unexcused: number;
  late: number;
}

export function absenceCounts(records: ReadonlyArray<AttendanceInfo>): AbsenceCounts {
  const c: AbsenceCounts = { missed: 0, ill: 0, excused: 0, unexcused: 0, late: 0 };
  for (const r of records) {
    if (r.status === "ill") c.ill++;
    else if (r.status === "excused") c.excused++;
    else if (r.status === "absent") c.unexcused++;
    else if (r.status === "late") c.late++;
  }
  c.missed = c.ill + c.excused + c.unexcused;
  return c;
}
