// Knows which ids exist, so a mark of an unknown student is quarantined rather than stored dangling.
// Seeded lazily from the store (live records) and extended with what this run wrote.
import type { StreamName, StreamRecords } from "../model/records.ts";
import type { Db } from "../store/db.ts";
import { ENTITIES } from "../store/entities.ts";

/** Hard references: field → stream whose key it must name. Soft ones (class teacher, parents' children) are not checked. */
export const REFERENCES: {
  [S in StreamName]?: Partial<Record<keyof StreamRecords[S] & string, StreamName>>;
} = {
  persons: { classId: "classes" },
  lessons: {
    classId: "classes",
    subjectId: "subjects",
    teacherId: "persons",
    substituteTeacherId: "persons",
  },
  works: { lessonId: "lessons", classId: "classes", subjectId: "subjects" },
  marks: { studentId: "persons", subjectId: "subjects", workId: "works", lessonId: "lessons" },
  attendance: { studentId: "persons", lessonId: "lessons" },
  periodMarks: { studentId: "persons", subjectId: "subjects", periodId: "periods" },
  activity: { personId: "persons" },
};

export class ReferenceIndex {
  private readonly known = new Map<StreamName, Set<string>>();

  constructor(
    private readonly db: Db,
    private readonly schoolId: string,
  ) {}

  /** Forget a stream's ids (after a full read marked some deleted). */
  invalidate(stream: StreamName): void {
    this.known.delete(stream);
  }

  add(stream: StreamName, key: string): void {
    this.known.get(stream)?.add(key);
  }

  /** Loads (once) the ids of every stream `stream` refers to, so `check` can then run without awaiting. */
  async prepare(stream: StreamName): Promise<void> {
    const refs = REFERENCES[stream] as Record<string, StreamName> | undefined;
    for (const target of new Set(Object.values(refs ?? {}))) {
      if (this.known.has(target)) continue;
      const rows = await this.db.query<{ key: string }>(
        `SELECT key FROM ${ENTITIES[target].table} WHERE school_id = $1 AND deleted_at IS NULL`,
        [this.schoolId],
      );
      this.known.set(target, new Set(rows.map((r) => r.key)));
    }
  }

  /** The first broken reference of a record, or null when all it names exists. Call `prepare(stream)` first. */
  check<S extends StreamName>(stream: S, record: StreamRecords[S]): { field: string; reason: string } | null {
    const refs = REFERENCES[stream] as Record<string, StreamName> | undefined;
    if (!refs) return null;
    const r = record as unknown as Record<string, unknown>;
    for (const [field, target] of Object.entries(refs)) {
      const v = r[field];
      if (v === undefined || v === null) continue;
      const known = this.known.get(target);
      if (!known) throw new Error(`ReferenceIndex.prepare("${stream}") was not called`);
      if (!known.has(String(v))) {
        return { field, reason: `unknown ${field} "${String(v)}": no such record in ${target}` };
      }
    }
    return null;
  }
}
