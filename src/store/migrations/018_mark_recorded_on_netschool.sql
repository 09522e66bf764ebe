-- The day a platform says a mark was entered when it gives the day only (NetSchool StudentGrades
-- «Дата выставления»): marks.jsonl `recordedOn`. Rules read it as bounds of the entry, not a time.
ALTER TABLE marks ADD COLUMN recorded_on date;
