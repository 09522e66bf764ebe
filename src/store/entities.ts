// How each canonical stream maps to its table: key, typed columns, and the fields whose arrival is
// itself evidence of time (a topic typed in later than the lesson). One table per stream, all scoped
// by school_id, all keyed by (school_id, key) so one writer serves every stream.
import type { StreamName, StreamRecords } from "../model/records.ts";

export type ColumnType = "text" | "int" | "numeric" | "date" | "timestamptz" | "text[]";

export interface Column {
  /** SQL column name. */
  name: string;
  /** Field of the canonical record. */
  field: string;
  type: ColumnType;
}

export interface Entity<S extends StreamName = StreamName> {
  stream: S;
  table: string;
  /** Fields whose values, joined by "|", make the record's key within a school. */
  keyFields: (keyof StreamRecords[S] & string)[];
  columns: Column[];
  /** Optional fields whose first appearance the store dates by observation (`<col>_first_seen_at`). */
  evidenceFields: string[];
}

const col = (field: string, type: ColumnType, name?: string): Column => ({
  name: name ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  field,
  type,
});

export const ENTITIES: { [S in StreamName]: Entity<S> } = {
  periods: {
    stream: "periods",
    table: "periods",
    keyFields: ["id"],
    columns: [
      col("id", "text"),
      col("kind", "text"),
      col("number", "int"),
      col("start", "date", "start_date"),
      col("end", "date", "end_date"),
      col("classIds", "text[]", "class_ids"),
    ],
    evidenceFields: [],
  },
  calendar: {
    stream: "calendar",
    table: "calendar_overrides",
    keyFields: ["date"],
    columns: [col("date", "date", "day"), col("kind", "text")],
    evidenceFields: [],
  },
  subjects: {
    stream: "subjects",
    table: "subjects",
    keyFields: ["id"],
    columns: [col("id", "text"), col("name", "text")],
    evidenceFields: [],
  },
  classes: {
    stream: "classes",
    table: "classes",
    keyFields: ["id"],
    columns: [col("id", "text"), col("grade", "int"), col("letter", "text"), col("classTeacherId", "text")],
    evidenceFields: [],
  },
  persons: {
    stream: "persons",
    table: "persons",
    keyFields: ["id"],
    columns: [
      col("id", "text"),
      col("role", "text"),
      col("name", "text"),
      col("classId", "text"),
      col("childIds", "text[]"),
    ],
    evidenceFields: [],
  },
  lessons: {
    stream: "lessons",
    table: "lessons",
    keyFields: ["id"],
    columns: [
      col("id", "text"),
      col("classId", "text"),
      col("subjectId", "text"),
      col("teacherId", "text"),
      col("substituteTeacherId", "text"),
      col("date", "date", "day"),
      col("number", "int"),
      col("start", "text", "start_time"),
      col("end", "text", "end_time"),
      col("topic", "text"),
      col("topicRecordedAt", "timestamptz"),
      col("topicAuthorId", "text"),
      col("homework", "text"),
      col("homeworkRecordedAt", "timestamptz"),
      col("attendanceRecordedAt", "timestamptz"),
    ],
    evidenceFields: ["topic", "homework"],
  },
  works: {
    stream: "works",
    table: "works",
    keyFields: ["id"],
    columns: [
      col("id", "text"),
      col("lessonId", "text"),
      col("classId", "text"),
      col("subjectId", "text"),
      col("kind", "text"),
      col("date", "date", "day"),
      col("resultsAnnouncedOn", "date"),
    ],
    evidenceFields: [],
  },
  marks: {
    stream: "marks",
    table: "marks",
    keyFields: ["id"],
    columns: [
      col("id", "text"),
      col("studentId", "text"),
      col("subjectId", "text"),
      col("workId", "text"),
      col("lessonId", "text"),
      col("lessonDate", "date"),
      col("value", "text"),
      col("weight", "numeric"),
      col("recordedAt", "timestamptz"),
      col("recordedOn", "date"),
      col("authorId", "text"),
    ],
    evidenceFields: [],
  },
  attendance: {
    stream: "attendance",
    table: "attendance",
    keyFields: ["studentId", "lessonId"],
    columns: [
      col("studentId", "text"),
      col("lessonId", "text"),
      col("status", "text"),
      col("recordedAt", "timestamptz"),
    ],
    evidenceFields: [],
  },
  periodMarks: {
    stream: "periodMarks",
    table: "period_marks",
    keyFields: ["studentId", "subjectId", "periodId"],
    columns: [
      col("studentId", "text"),
      col("subjectId", "text"),
      col("periodId", "text"),
      col("value", "text"),
      col("recordedAt", "timestamptz"),
    ],
    evidenceFields: [],
  },
  activity: {
    stream: "activity",
    table: "activity",
    keyFields: ["personId", "date"],
    columns: [
      col("personId", "text"),
      col("date", "date", "day"),
      col("logins", "int"),
      col("diaryViews", "int"),
      col("entries", "int"),
    ],
    evidenceFields: [],
  },
  outages: {
    stream: "outages",
    table: "outages",
    keyFields: ["from"],
    columns: [col("from", "timestamptz", "from_at"), col("to", "timestamptz", "to_at"), col("note", "text")],
    evidenceFields: [],
  },
};

/** What the SQL side needs of an entity, whatever its stream. */
export type EntityShape = Omit<Entity, "keyFields" | "stream"> & { stream: StreamName };

const keyFns = new Map<string, (r: Record<string, unknown>) => string>();

export function recordKey<S extends StreamName>(entity: Entity<S>, record: StreamRecords[S]): string {
  let fn = keyFns.get(entity.table);
  if (!fn) {
    // Instants key by their UTC form, so the same moment written with another offset is the same record.
    const parts = entity.keyFields.map((f) =>
      entity.columns.find((c) => c.field === f)?.type === "timestamptz"
        ? (r: Record<string, unknown>) => new Date(String(r[f])).toISOString()
        : (r: Record<string, unknown>) => String(r[f]),
    );
    fn = parts.length === 1 ? parts[0] : (r) => parts.map((p) => p(r)).join("|");
    keyFns.set(entity.table, fn);
  }
  return fn(record as unknown as Record<string, unknown>);
}

/** SQL type of a column as unnest() needs it. */
export function sqlArrayType(type: ColumnType): string {
  return type === "text[]" ? "text[]" : `${type}[]`;
}
