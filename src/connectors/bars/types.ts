// Small shared types of the BARS connector.
import type { z } from "zod";
import type { attendanceStatusSchema, WorkKind as Kind } from "../../model/records.ts";

export type AttendanceStatus = z.infer<typeof attendanceStatusSchema>;
export type WorkKind = Kind;
