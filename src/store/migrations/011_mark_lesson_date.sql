-- The lesson day of a mark without a lesson record (Moodle without the Attendance plugin): marks.jsonl `lessonDate`.
ALTER TABLE marks ADD COLUMN lesson_date date;
