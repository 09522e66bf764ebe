// The subjects a class studies in a range: those with lessons or period marks there, by name.
import type { LessonInfo, PeriodMarkInfo, Roster, SubjectInfo } from "../report-data.ts";

export function classSubjects(
  roster: Roster,
  lessons: LessonInfo[],
  periodMarks: PeriodMarkInfo[],
): SubjectInfo[] {
  const ids = new Set<string>([...lessons.map((l) => l.subjectId), ...periodMarks.map((p) => p.subjectId)]);
  return roster.subjects.filter((s) => ids.has(s.id));
}

const VOWELS = /[аеёиоуыэюяaeiouy]/i;

/** A Russian abbreviation of a word: at least three letters, cut after a consonant before a vowel. */
function abbreviateWord(word: string): string {
  if (word.length <= 4 || !/^[А-ЯЁа-яё]+$/.test(word)) return word;
  for (let i = 3; i < word.length - 1; i++) {
    if (!VOWELS.test(word[i - 1]) && VOWELS.test(word[i])) return `${word.slice(0, i)}.`;
  }
  return word;
}

/** A subject as a narrow column title: «Алгебра» → «Алг.», «Английский язык» → «Англ. язык». */
export function subjectShort(name: string): string {
  if (name.length <= 4) return name;
  return name.split(/\s+/).map(abbreviateWord).join(" ");
}
