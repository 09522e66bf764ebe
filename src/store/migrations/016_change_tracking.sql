-- Change tracking for the incremental check (issue 12): the record writer stamps every written or
-- deleted record with the observation that changed it (changed_at, deleted_at). These indexes let a
-- check find what changed since the last one per school and stream without reading the stream, and
-- find the open violations whose deadline lies in a window (escalation levels crossing with the days).
CREATE INDEX lessons_changed ON lessons (school_id, changed_at);
CREATE INDEX lessons_deleted ON lessons (school_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX marks_changed ON marks (school_id, changed_at);
CREATE INDEX marks_deleted ON marks (school_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX attendance_changed ON attendance (school_id, changed_at);
CREATE INDEX attendance_deleted ON attendance (school_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX works_changed ON works (school_id, changed_at);
CREATE INDEX period_marks_changed ON period_marks (school_id, changed_at);
CREATE INDEX violations_open_deadline ON violations (school_id, rule_id, deadline) WHERE status = 'open';
