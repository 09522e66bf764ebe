// What one sync run reads more than once from Dnevnik.ru: the class list, each class's periods, and each
// class × window of lessons (the lessons, works and marks streams all stand on the same lessons answer).
// Reading each once keeps the run near the API's minimum number of requests. A run starts with
// discover(), which empties the cache, so a long-lived connector never serves an old answer.
import type { Fetched } from "./client.ts";
import { LessonIndex } from "./mapping.ts";

/** The cache key of one class's lessons in one date window. */
export const windowKey = (groupId: string, from: string, to: string): string => `${groupId}:${from}:${to}`;

export class RunCache {
  private readonly answers = new Map<string, Promise<unknown>>();
  /** Every lesson read in this run: a mark's lesson is looked up here before it is fetched alone. */
  lessons = new LessonIndex();

  /** The answer for `key`, loaded once; a failed load is forgotten so that a retry can load again. */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = load();
      this.answers.set(key, answer);
      answer.catch(() => {
        if (this.answers.get(key) === answer) this.answers.delete(key);
      });
    }
    return answer;
  }

  /** A lessons answer, indexed once when it first arrives. */
  lessonWindow(key: string, load: () => Promise<Fetched>): Promise<Fetched> {
    return this.once(`lessons:${key}`, () =>
      load().then((f) => {
        this.lessons.add(f.body);
        return f;
      }),
    );
  }

  /** Drops a lessons answer its last reader (the marks stream) is done with; its index entries stay. */
  forgetLessonWindow(key: string): void {
    this.answers.delete(`lessons:${key}`);
  }

  clear(): void {
    this.answers.clear();
    this.lessons = new LessonIndex();
  }
}
