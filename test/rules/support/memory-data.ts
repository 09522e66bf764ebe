// A small in-memory journal for rule tests: canonical records (with optional evidence of time) and
// what was observed of each stream. A plain builder of `RuleData`, not a mock of the store — the
// store-backed RuleData is tested by the engine's own tests.
import type { AttendanceEvidence } from "../../../src/connectors/types.ts";
import type {
  Activity,
  Lesson,
  Mark,
  Period,
  PeriodMark,
  Person,
  SchoolClass,
  StreamName,
  Subject,
  Work,
} from "../../../src/model/records.ts";
import type {
  AttendanceRow,
  Enrollment,
  LessonRow,
  MarkRow,
  OutageWindow,
  PeriodMarkRow,
  RuleData,
  SeenEvidence,
  StreamObservation,
  WorkRow,
} from "../../../src/rules/types.ts";

type Seen<T> = T & Partial<SeenEvidence>;

export interface MemoryJournal {
  /** The one full read of every stream unless `observations` says otherwise; the default firstSeenAt. */
  observedAt: string;
  periods?: Seen<Period>[];
  classes?: SchoolClass[];
  persons?: Person[];
  subjects?: Subject[];
  lessons?: Seen<Lesson & Partial<LessonRow>>[];
  works?: Seen<Work>[];
  marks?: Seen<Mark>[];
  attendance?: Seen<AttendanceRow>[];
  periodMarks?: Seen<PeriodMark>[];
  activity?: Activity[];
  outages?: OutageWindow[];
  /** Class memberships over time; absent: the persons' current classes. */
  enrollments?: Enrollment[];
  observations?: Partial<Record<StreamName, StreamObservation>>;
  attendanceEvidence?: AttendanceEvidence;
}

function seen<T>(rows: readonly Seen<T>[] | undefined, observedAt: string): (T & SeenEvidence)[] {
  return (rows ?? []).map((r) => ({ ...r, firstSeenAt: r.firstSeenAt ?? observedAt }));
}

export function memoryData(j: MemoryJournal): RuleData {
  const at = j.observedAt;
  return {
    periods: async () => [...(j.periods ?? [])],
    classes: async () => [...(j.classes ?? [])],
    persons: async () => [...(j.persons ?? [])],
    subjects: async () => [...(j.subjects ?? [])],
    lessons: async () => seen(j.lessons, at) as LessonRow[],
    works: async () => seen(j.works, at) as WorkRow[],
    marks: async () => seen(j.marks, at) as MarkRow[],
    attendance: async () => seen(j.attendance, at) as AttendanceRow[],
    periodMarks: async () => seen(j.periodMarks, at) as PeriodMarkRow[],
    activity: async () => [...(j.activity ?? [])],
    outages: async () => [...(j.outages ?? [])],
    attendanceEvidence: async () => j.attendanceEvidence ?? "recorded",
    enrollments: async () => [...(j.enrollments ?? [])],
    observation: async (stream) => j.observations?.[stream] ?? { lastObservedAt: at, lastFullReadAt: at },
  };
}
