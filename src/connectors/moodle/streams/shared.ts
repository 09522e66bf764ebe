// What the per-stream readers share: their dependencies, canonical validation of what they
// built (invalid records become rejections) and small helpers.
import { type StreamName, streamSchemas } from "../../../model/records.ts";
import type { Page, ReadOptions, RejectedRecord } from "../../types.ts";
import type { ClassRef, CompiledMapping } from "../mapping.ts";
import type { CourseContext, CourseUser, MoodleSiteReader, Rejection } from "../site-reader.ts";

export interface StreamDeps {
  reader: MoodleSiteReader;
  mapping: CompiledMapping;
}

/** Records of one page and what was rejected on the way. */
export type Built<S extends StreamName> = {
  records: Page<S>["records"];
  rejected: RejectedRecord[];
  /** The course could not be read (only rejections came back): its page proves nothing absent. */
  unread?: boolean;
};

export interface Candidate {
  record: unknown;
  origin: string;
  raw: unknown;
}

/** Validates canonical records; the invalid ones become rejections with the failing field. */
export function finish<S extends StreamName>(
  stream: S,
  candidates: Candidate[],
  rejected: Rejection[],
): Built<S> {
  const out: Built<S> = { records: [], rejected: rejected.map((r) => ({ stream, ...r })) };
  const schema = streamSchemas[stream];
  for (const c of candidates) {
    const r = schema.safeParse(c.record);
    if (r.success) out.records.push(r.data as Page<S>["records"][number]);
    else {
      const issue = r.error.issues[0];
      out.rejected.push({
        stream,
        origin: c.origin,
        field: issue?.path.length ? issue.path.map(String).join(".") : undefined,
        reason: issue?.message ?? "invalid record",
        raw: c.raw,
      });
    }
  }
  return out;
}

export function inWindow(date: string, options: ReadOptions): boolean {
  return (
    (options.from === undefined || date >= options.from) && (options.to === undefined || date <= options.to)
  );
}

/** A pupil's class in a course: the course's class, or the first class group the pupil is in. */
export function classOfUser(ctx: CourseContext, cu: CourseUser): ClassRef | undefined {
  if (ctx.meaning.kind === "class-subject") return ctx.meaning.classRef;
  for (const g of cu.user.groups) {
    const c = ctx.groupClasses.get(g.id);
    if (c) return c;
  }
  return undefined;
}
