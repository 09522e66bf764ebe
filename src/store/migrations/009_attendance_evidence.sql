-- What a lesson without attendance rows means on the school's platform (Discovery.attendanceEvidence):
-- 'recorded' = attendance not taken; 'absences-only' = unknown (everybody may have come).
ALTER TABLE schools
  ADD COLUMN attendance_evidence text NOT NULL DEFAULT 'recorded'
  CHECK (attendance_evidence IN ('recorded', 'absences-only'));
