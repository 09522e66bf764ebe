// activity.jsonl: teachers' daily logins and entries (from what the generator recorded), the
// administration's logins, and parents' diary views with the injected `parents.monitoring` weeks.
import { type DemoContext, endOfDay, isSchoolDay, recordViolation } from "./context.ts";
import { LocalClock } from "./local-time.ts";
import { deriveSeed, Rng } from "./random.ts";
import { YEAR } from "./school-year.ts";

const { dayOf, dateOf } = LocalClock;

export async function writeActivity(ctx: DemoContext): Promise<void> {
  const { clock, writers, injector, roster } = ctx;
  const out = writers.activity;

  const keys = [...ctx.teacherEntries.keys()].sort((a, b) => {
    const [da, ta] = a.split("|");
    const [db, tb] = b.split("|");
    return Number(da) - Number(db) || (ta < tb ? -1 : ta > tb ? 1 : 0);
  });
  for (const key of keys) {
    const [day, personId] = key.split("|");
    if (Number(day) > ctx.observedDay) continue;
    const entries = ctx.teacherEntries.get(key)!;
    const logins = 1 + (entries > 20 ? 2 : entries > 8 ? 1 : 0);
    out.push({ personId, date: dateOf(Number(day)), logins, entries });
  }
  await out.flush();

  const staffRng = new Rng(deriveSeed(ctx.seed, "staff-activity"));
  const staff: [string, number, number][] = [
    [roster.directorId, 0, 2],
    [roster.deputyId, 1, 4],
    [roster.coordinatorId, 1, 3],
    [roster.adminId, 1, 3],
  ];
  for (let day = dayOf(YEAR.start); day <= ctx.observedDay; day++) {
    if (!isSchoolDay(ctx, dateOf(day))) continue;
    for (const [personId, min, max] of staff) {
      const logins = staffRng.int(min, max);
      if (logins > 0) out.push({ personId, date: dateOf(day), logins });
    }
  }
  await out.flush();

  // Parents: every full Monday–Sunday week before observedAt's date is checked (002 §8). The one who
  // must act on a parent's missing views is the class teacher of the parent's child (the first child
  // by id), who reminds the parent (001 §3.4): a parent is not staff the escalation can reach.
  const classTeacherOfStudent = new Map<string, string>();
  for (const c of roster.classes)
    for (const s of c.students) classTeacherOfStudent.set(s.id, c.classTeacherId);
  const responsibleFor = (childIds: readonly string[]): string => {
    for (const id of [...childIds].sort()) {
      const teacher = classTeacherOfStudent.get(id);
      if (teacher) return teacher;
    }
    throw new Error("a demo parent without a child in a class");
  };
  const firstMonday = dayOf(YEAR.start) - (LocalClock.weekday(dayOf(YEAR.start)) - 1);
  for (const [i, parent] of roster.parents.entries()) {
    const rng = new Rng(deriveSeed(ctx.seed, "parent-activity", parent.id));
    for (let week = firstMonday; week <= ctx.observedDay; week += 7) {
      const full = week + 6 < ctx.observedDay;
      const lastDay = Math.min(week + 6, ctx.observedDay);
      let schoolDays = 0;
      for (let d = week; d <= week + 6; d++) if (isSchoolDay(ctx, dateOf(d))) schoolDays++;
      if (full && schoolDays >= 3 && injector.decide("parents.monitoring", rng)) {
        const views = rng.int(0, 1);
        const day = week + rng.int(0, 6);
        if (views === 1 || rng.chance(0.5))
          out.push({ personId: parent.id, date: dateOf(day), logins: 1, diaryViews: views });
        recordViolation(ctx, {
          ruleId: "parents.monitoring",
          entity: { kind: "parent-week", personId: parent.id, weekStart: dateOf(week) },
          responsibleId: responsibleFor(parent.childIds),
          deadline: clock.isoOf(endOfDay(ctx, dateOf(week + 6))),
          why: `${views} diary view(s) in the week of ${dateOf(week)}; 002 §8 asks for at least 2`,
        });
        continue;
      }
      // Two to five active days in a full week, each with at least one diary view.
      const span = lastDay - week + 1;
      const offsets = rng.sample(
        [0, 1, 2, 3, 4, 5, 6].slice(0, span),
        full ? rng.int(2, 5) : rng.int(0, span),
      );
      offsets.sort((a, b) => a - b);
      for (const off of offsets) {
        const logins = rng.int(1, 2);
        out.push({
          personId: parent.id,
          date: dateOf(week + off),
          logins,
          diaryViews: logins + rng.int(0, 2),
        });
      }
    }
    if (i % 50 === 49) await out.flush();
  }
  await out.flush();
}
