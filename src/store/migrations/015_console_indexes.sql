-- The console's reads (issue 10). The inbox pages a school's open findings newest and most serious
-- first: severity is stored (generated from the escalation level and the rule's weight, the same
-- numbers as src/api/finding-view.ts RULE_WEIGHT — a test keeps them equal) so that an index serves
-- the first page without sorting every open finding. Filters by teacher and class, the compliance
-- board's look-up of each lesson's findings, and the outbox list have their indexes too.
ALTER TABLE violations ADD COLUMN severity int GENERATED ALWAYS AS (
  level * 3 + CASE rule_id
      WHEN 'attestation.final.late' THEN 2
      WHEN 'attestation.intermediate.late' THEN 2
      WHEN 'period-mark.late' THEN 2
      WHEN 'period-mark.unjustified' THEN 2
      WHEN 'year.close.late' THEN 2
      WHEN 'year.setup.late' THEN 2
      WHEN 'control-work.missing' THEN 1
      WHEN 'mark.written.late' THEN 1
      WHEN 'mark.oral.late' THEN 1
      WHEN 'mark.external.late' THEN 1
      WHEN 'marks.accumulation' THEN 1
      WHEN 'substitution.wrong-author' THEN 1
      WHEN 'grade1.marks' THEN 1
      WHEN 'lesson.topic.in-advance' THEN 1
      ELSE 0
    END
) STORED;
CREATE INDEX violations_inbox_newest ON violations (school_id, status, deadline DESC, severity DESC, id DESC);
CREATE INDEX violations_inbox_severity ON violations (school_id, status, severity DESC, deadline DESC, id DESC);
CREATE INDEX violations_responsible ON violations (school_id, responsible_id, status);
CREATE INDEX violations_lesson ON violations (school_id, (entity->>'lessonId'));
CREATE INDEX violations_class ON violations (school_id, (entity->>'classId'));
CREATE INDEX outbox_school_created ON outbox (school_id, created_at DESC);
