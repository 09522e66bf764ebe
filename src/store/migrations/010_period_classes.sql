-- A term may apply to some classes only (quarters in 2–9, semesters in 10–11): periods.jsonl `classIds`.
ALTER TABLE periods ADD COLUMN class_ids text[];
