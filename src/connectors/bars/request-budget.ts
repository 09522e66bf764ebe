// The requests one BARS sync needs, counted from what the API offers: it has no class-wide call, so
// every answer is per pupil and per week (GetDiary, GetHomeworkFromRange) or per subperiod
// (GetSummaryMarks), and the pupil is chosen by SetChild. Each answer is asked for once a run.

export interface BarsBudgetInput {
  pupils: number;
  classes: number;
  /** Weeks (Monday to Sunday) that meet the window. */
  weeks: number;
  /** Subperiods (quarters…) that meet the window: GetSummaryMarks calls of a pupil. */
  subperiodsInWindow: number;
  /**
   * GetSummaryMarks calls of the walk over the whole school year that the first pupil of each class makes
   * (its periods' dates): the subperiods, plus one answer that repeats the last when the last ends before
   * 31 August.
   */
  yearWalk: number;
  /** Form login (POST /auth/login, GET /) or a copied cookie (no login requests). */
  password: boolean;
}

export function minimumRequests(i: BarsBudgetInput): { total: number; detail: string } {
  const login = i.password ? 2 : 0;
  const perPupil = 1 + 2 * i.weeks + 1; // SetChild, GetDiary and GetHomeworkFromRange a week, GetTotalMarks
  const summary = i.classes * i.yearWalk + (i.pupils - i.classes) * i.subperiodsInWindow;
  const total = login + 1 + i.pupils * perPupil + summary;
  return {
    total,
    detail: `${login} login + 1 GetPersonData + ${i.pupils} pupils × (1 SetChild + ${i.weeks} weeks × 2 + 1 GetTotalMarks) + ${summary} GetSummaryMarks = ${total}`,
  };
}
