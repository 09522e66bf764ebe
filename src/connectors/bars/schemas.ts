// The platform's JSON shapes (BARS «Электронная школа» `/api/<Service>/<method>`, platforms/bars-netschool.md
// §A3 and the recorded GetSummaryMarks answer in real-shapes.md §3.1), as zod schemas of the fields we read.
// Marks and averages are strings; a pupil's person id is a number; dates are `YYYY-MM-DD`.
import { z } from "zod";

const text = z.string().nullish();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "expected a date YYYY-MM-DD");
/** `08:30` or `08:30:00`. */
const clock = z.string().regex(/^\d{1,2}:\d{2}(:\d{2})?$/, "expected a time HH:MM");
const personId = z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]).transform(String);

/** `POST /auth/login`: exactly `{"success": true, "redirect": "/"}` when the form was accepted. */
export const loginAnswerSchema = z.looseObject({
  success: z.boolean(),
  redirect: z.string().nullish(),
  message: text,
});

export const childPersonSchema = z.looseObject({
  person_id: personId,
  fullname: z.string().min(1),
  school: text,
  classyear: text,
});

/** `ProfileService/GetPersonData`: the account and the pupils it may select. */
export const personDataSchema = z.looseObject({
  auth_user_profile_id: z.union([z.number(), z.string()]).nullish(),
  user_fullname: text,
  user_desc: text,
  selected_pupil_id: personId.nullish(),
  selected_pupil_name: text,
  selected_pupil_school: text,
  selected_pupil_classyear: text,
  children_persons: z.array(childPersonSchema).nullish(),
  indicators: z.array(z.looseObject({ name: text, value: z.unknown(), css: text })).nullish(),
});
export type PersonData = z.infer<typeof personDataSchema>;

export const diaryLessonSchema = z.looseObject({
  id: z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]).transform(String),
  index: z.number().int().nullish(),
  date: isoDate.nullish(),
  time_begin: clock,
  time_end: clock,
  discipline: z.string().min(1),
  teacher: text,
  office: text,
  theme: text,
  homework: text,
  homework_time_to_complete: z.unknown().optional(),
  ind_homework_exists: z.boolean().nullish(),
  materials: z.array(z.looseObject({ name: text, url: text })).nullish(),
  mark: text,
  mark_type: text,
  attendance: text,
  comment: text,
  remarks: text,
  is_control_work: z.boolean().nullish(),
  schedulelessontype: text,
  study_time_name: text,
  study_time_shift: z.unknown().optional(),
});
export type DiaryLesson = z.infer<typeof diaryLessonSchema>;

export const diaryDaySchema = z.looseObject({
  date: isoDate,
  is_weekend: z.boolean().nullish(),
  is_vacation: z.boolean().nullish(),
  is_holiday: z.boolean().nullish(),
  lessons: z.array(z.unknown()).nullish(),
});
export type DiaryDay = z.infer<typeof diaryDaySchema>;

/** `ScheduleService/GetDiary`: one week. Lessons are validated one by one (a bad one is quarantined). */
export const diarySchema = z.looseObject({ days: z.array(diaryDaySchema) });

export const summaryMarkSchema = z.looseObject({
  date: isoDate,
  mark: z.union([z.string(), z.number()]).transform(String),
  description: text,
});

export const summaryMarksSchema = z.looseObject({
  subperiod: z.looseObject({ code: z.string().min(1), name: z.string() }),
  dates: z.array(isoDate),
  discipline_marks: z.array(
    z.looseObject({
      discipline: z.string().min(1),
      average_mark: z.union([z.string(), z.number()]).nullish(),
      marks: z.array(z.unknown()),
    }),
  ),
});
export type SummaryMarks = z.infer<typeof summaryMarksSchema>;

/** Older servers answer GetSummaryMarks flat; newer ones wrap it in `summary_marks_data[0]` (bars-api 2025). */
export function unwrapSummaryMarks(body: unknown): unknown {
  const o = body as { summary_marks_data?: unknown };
  if (o && typeof o === "object" && Array.isArray(o.summary_marks_data)) return o.summary_marks_data[0];
  return body;
}

export const totalMarksSchema = z.looseObject({
  subperiods: z.array(z.looseObject({ code: z.string().min(1), name: z.string() })),
  discipline_marks: z.array(
    z.looseObject({
      discipline: z.string().min(1),
      period_marks: z.array(
        z.looseObject({
          subperiod_code: z.string().min(1),
          mark: z.union([z.string(), z.number()]).nullish(),
        }),
      ),
    }),
  ),
});
export type TotalMarks = z.infer<typeof totalMarksSchema>;

/** GetTotalMarks may be wrapped in `total_marks_data[0]` like GetSummaryMarks. */
export function unwrapTotalMarks(body: unknown): unknown {
  const o = body as { total_marks_data?: unknown };
  if (o && typeof o === "object" && Array.isArray(o.total_marks_data)) return o.total_marks_data[0];
  return body;
}

export const homeworkDaySchema = z.looseObject({
  date: isoDate,
  name: text,
  homeworks: z.array(
    z.looseObject({
      discipline: z.string().min(1),
      teacher: text,
      theme: text,
      homework: text,
      materials: z.unknown().optional(),
      nextHomework: z.unknown().optional(),
      nextMaterials: z.unknown().optional(),
      individualHomeworks: z.unknown().optional(),
      homework_time_to_complete: z.unknown().optional(),
    }),
  ),
});
/** `HomeworkService/GetHomeworkFromRange`: a week of days with their homework. */
export const homeworkRangeSchema = z.array(homeworkDaySchema);

/** The platform's error body: `{faultcode, faultstring}` (bars-api `_request`, Lemon4ksan `_client.py`). */
export const faultSchema = z.looseObject({ faultcode: z.string(), faultstring: z.string().nullish() });
