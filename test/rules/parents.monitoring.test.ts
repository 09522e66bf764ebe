import type { Activity } from "../../src/model/records.ts";
import { rule } from "../../src/rules/parents.monitoring.ts";
import { ruleTester } from "./support/cases.ts";
import { journal } from "./support/school.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
const SEEN = "2025-11-20T09:00:00.000Z";
// The week Mon 13.10 – Sun 19.10.2025; staff logins show the platform reported that week.
const staff = (week: string[]): Activity[] => week.map((date) => ({ personId: "dep", date, logins: 1 }));
const WEEK = ["2025-10-13", "2025-10-14", "2025-10-15", "2025-10-16", "2025-10-17"];
const views = (personId: string, date: string, diaryViews: number): Activity => ({
  personId,
  date,
  logins: 1,
  diaryViews,
});
const GOOD = [views("p1", "2025-10-13", 1), views("p1", "2025-10-19", 1), views("p2", "2025-10-15", 3)];
const J = (activity: Activity[], more = {}) =>
  journal(AS_OF, { activity: [...staff(WEEK), ...activity], ...more });

// Mon 03.11 and Tue 04.11 are days off; with a school vacation on Wed 05.11 a five-day school works
// two days that week, a six-day school three (Saturday 08.11).
const HOLIDAY_WEEK = ["2025-11-06", "2025-11-07"];

ruleTester(rule, {
  valid: [
    { name: "two views on Monday and Sunday; three on one day", journal: J(GOOD), asOf: AS_OF },
    {
      name: "the week is not over",
      journal: J([views("p1", "2025-10-13", 1)]),
      asOf: "2025-10-19T20:00:00+03:00",
    },
    {
      name: "no full read of the activity after the week",
      journal: J([], {
        observations: {
          activity: {
            lastObservedAt: "2025-10-19T12:00:00+03:00",
            lastFullReadAt: "2025-10-19T12:00:00+03:00",
          },
        },
      }),
      asOf: AS_OF,
    },
    {
      name: "a holiday week (two school days in a five-day week) is not judged",
      journal: journal(AS_OF, { activity: [...staff(HOLIDAY_WEEK), views("p1", "2025-11-06", 2)] }),
      asOf: AS_OF,
      overrides: [{ date: "2025-11-05", kind: "vacation" }],
    },
    {
      name: "the platform never reports diary views: nothing proven",
      journal: J([{ personId: "p1", date: "2025-10-13", logins: 1 }]),
      asOf: AS_OF,
    },
    {
      name: "a parent's row without diaryViews is unknown, not zero: no finding for that week",
      journal: J([
        ...GOOD.filter((a) => a.personId !== "p2"),
        { personId: "p2", date: "2025-10-15", logins: 2 },
      ]),
      asOf: AS_OF,
    },
    {
      name: "time zone: a read at 23:30 Sunday in Moscow has not seen the whole week",
      journal: J(GOOD.slice(0, 2), {
        observations: {
          activity: {
            lastObservedAt: "2025-10-19T23:30:00+03:00",
            lastFullReadAt: "2025-10-19T23:30:00+03:00",
          },
        },
      }),
      asOf: AS_OF,
    },
  ],
  invalid: [
    {
      name: "one view in the week; the class teacher of the child answers",
      journal: J([views("p1", "2025-10-13", 1), views("p1", "2025-10-17", 1), views("p2", "2025-10-16", 1)]),
      asOf: AS_OF,
      findings: [
        {
          key: "p2|2025-10-13",
          responsibleId: "t-ct",
          deadline: "2025-10-19T20:59:59.999Z",
          evidence: { kind: "count", counted: 1, required: 2, observedAt: SEEN },
        },
      ],
    },
    {
      name: "six-day week: the holiday week has three school days and is judged",
      journal: journal(AS_OF, { activity: [...staff(HOLIDAY_WEEK), views("p1", "2025-11-08", 2)] }),
      asOf: AS_OF,
      workweek: 6,
      overrides: [{ date: "2025-11-05", kind: "vacation" }],
      findings: [
        {
          key: "p2|2025-11-03",
          responsibleId: "t-ct",
          deadline: "2025-11-09T20:59:59.999Z",
          evidence: "count",
        },
      ],
    },
    {
      name: "time zone: the same read is Monday morning in Vladivostok, the week is over there",
      journal: J(GOOD.slice(0, 2), {
        observations: {
          activity: {
            lastObservedAt: "2025-10-19T23:30:00+03:00",
            lastFullReadAt: "2025-10-19T23:30:00+03:00",
          },
        },
      }),
      asOf: AS_OF,
      timezone: "Asia/Vladivostok",
      findings: [
        {
          key: "p2|2025-10-13",
          responsibleId: "t-ct",
          deadline: "2025-10-19T13:59:59.999Z",
          evidence: { kind: "count", counted: 0, required: 2, observedAt: "2025-10-19T20:30:00.000Z" },
        },
      ],
    },
  ],
});
