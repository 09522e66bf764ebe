// The fewest Dnevnik.ru requests that can carry a school's date window, given that the API does not page
// and answers per class: per school its card, classes, subjects, staff and work types; per class its
// pupils, class teacher, periods (with holidays), bell times and final marks; per class and window its
// lessons (with works and homework) and marks; per pupil and window its attendance, which the working
// client reads per pupil (platforms/dnevnik.md §4–6, real-shapes.md D3). A sync is measured against this figure.
import { dnevnikConfigSchema } from "./config.ts";
import { dateChunks } from "./date-chunks.ts";

export const PER_SCHOOL = 5;
export const PER_CLASS = 5;
export const PER_CLASS_WINDOW = 2;
export const PER_PUPIL_WINDOW = 1;

/** Days per window when the source config names none: 30, the only cap seen in working clients. */
export const DEFAULT_CHUNK_DAYS = dnevnikConfigSchema.shape.chunkDays.parse(undefined);

export function minimumRequests(input: {
  classes: number;
  /** Pupils listed in the classes (`edu-groups/{g}/persons`), all classes together. */
  pupils: number;
  from: string;
  to: string;
  chunkDays?: number;
}): {
  total: number;
  detail: string;
} {
  const windows = dateChunks(input.from, input.to, input.chunkDays ?? DEFAULT_CHUNK_DAYS).length;
  const total =
    PER_SCHOOL +
    input.classes * PER_CLASS +
    input.classes * windows * PER_CLASS_WINDOW +
    input.pupils * windows * PER_PUPIL_WINDOW;
  return {
    total,
    detail: `${PER_SCHOOL} + ${input.classes} classes × ${PER_CLASS} + ${input.classes} × ${windows} windows × ${PER_CLASS_WINDOW} + ${input.pupils} pupils × ${windows} windows × ${PER_PUPIL_WINDOW}`,
  };
}
