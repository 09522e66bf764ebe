-- The console's reads (issue 10): the inbox pages open findings newest first per school, filters by
-- teacher and class, and the compliance board looks up the findings of each lesson.
CREATE INDEX violations_inbox ON violations (school_id, status, deadline DESC, id DESC);
CREATE INDEX violations_responsible ON violations (school_id, responsible_id, status);
CREATE INDEX violations_lesson ON violations (school_id, (entity->>'lessonId'));
CREATE INDEX violations_class ON violations (school_id, (entity->>'classId'));
CREATE INDEX outbox_school_created ON outbox (school_id, created_at DESC);
