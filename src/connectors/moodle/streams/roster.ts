// Subjects, classes and persons: one page each, deduplicated across courses. A pupil's class is
// the one most of their courses say; parents and staff without a course role are not visible.
import type { Person, SchoolClass, Subject } from "../../../model/records.ts";
import { type ClassRef, mostFrequent, toSchoolClass } from "../mapping.ts";
import type { Rejection } from "../site-reader.ts";
import { type Built, type Candidate, classOfUser, finish, type StreamDeps } from "./shared.ts";

export type RosterStream = "subjects" | "classes" | "persons";

export async function readRoster(
  deps: StreamDeps,
  stream: RosterStream,
  signal?: AbortSignal,
): Promise<Built<RosterStream>> {
  const { contexts, rejected } = await deps.reader.courses(signal);
  const candidates: Candidate[] = [];
  if (stream === "subjects") {
    const seen = new Map<string, Subject>();
    for (const ctx of contexts) {
      const s = ctx.meaning.subject;
      if (!seen.has(s.id)) {
        seen.set(s.id, s);
        candidates.push({
          record: s,
          origin: `core_course_get_courses id=${ctx.course.id}`,
          raw: ctx.course,
        });
      }
    }
    return finish("subjects", candidates, rejected);
  }
  if (stream === "classes") {
    const seen = new Map<string, SchoolClass>();
    for (const ctx of contexts) {
      const refs: ClassRef[] =
        ctx.meaning.kind === "class-subject" ? [ctx.meaning.classRef] : [...ctx.groupClasses.values()];
      for (const c of refs) {
        if (seen.has(c.id)) continue;
        seen.set(c.id, toSchoolClass(c));
        candidates.push({ record: toSchoolClass(c), origin: `course ${ctx.course.id}`, raw: c });
      }
    }
    // A course that fits no mapping or could not be read is reported once, with the subjects.
    return finish("classes", candidates, []);
  }
  const people = new Map<
    string,
    { name: string; roles: Set<string>; classes: string[]; origin: string; raw: unknown }
  >();
  const userRejections: Rejection[] = [];
  for (const ctx of contexts) {
    userRejections.push(...ctx.rejectedUsers);
    for (const cu of ctx.users.values()) {
      if (cu.role === null) continue;
      const p = people.get(cu.personId) ?? {
        name: cu.user.fullname,
        roles: new Set<string>(),
        classes: [],
        origin: `core_enrol_get_enrolled_users courseid=${ctx.course.id}`,
        raw: { id: cu.user.id, idnumber: cu.user.idnumber },
      };
      p.roles.add(cu.role);
      if (cu.role === "student") {
        const c = classOfUser(ctx, cu);
        if (c) p.classes.push(c.id);
      }
      people.set(cu.personId, p);
    }
  }
  for (const [id, p] of people) {
    const role = p.roles.has("student") ? "student" : "teacher";
    const classId = role === "student" ? mostFrequent(p.classes) : undefined;
    const person: Person = { id, role, name: p.name, ...(classId ? { classId } : {}) };
    candidates.push({ record: person, origin: p.origin, raw: p.raw });
  }
  return finish("persons", candidates, userRejections);
}
