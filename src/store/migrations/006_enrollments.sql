-- Enrollments with dates, derived from the persons stream at each observation: a student's class
-- changing (or the student vanishing) closes the open enrollment and opens the next one. from_date is
-- null when the student was already enrolled at the school's first observation (the start is unknown).
CREATE TABLE enrollments (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  student_id text NOT NULL,
  class_id text NOT NULL,
  from_date date,
  to_date date
);
CREATE INDEX enrollments_open ON enrollments (school_id, student_id) WHERE to_date IS NULL;
