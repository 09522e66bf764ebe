// What escalation needs to know about a violation: enough to word it, date it and address it.
import { z } from "zod";
import { idSchema, instantSchema } from "../model/records.ts";
import { recipientSchema } from "./channels/types.ts";

export const openFindingSchema = z.object({
  violationId: idSchema,
  ruleId: z.string().min(1),
  /** Russian title of the rule, e.g. «Тема урока не записана в день урока». */
  ruleTitle: z.string().min(1),
  /** The clause enforced, e.g. `001 §3.5`. */
  clause: z.string().min(1),
  /** Russian description of the entity (class, subject, lesson date…); never a child's mark. */
  entity: z.string().min(1),
  deadline: instantSchema,
  detectedAt: instantSchema,
  responsibleId: idSchema,
  /** 0 teacher, 1 class teacher, 2 deputy, 3 director (see ladder.ts). */
  level: z.number().int().min(0).max(3),
});
export type OpenFinding = z.infer<typeof openFindingSchema>;

export const resolvedFindingSchema = openFindingSchema.extend({ resolvedAt: instantSchema });
export type ResolvedFinding = z.infer<typeof resolvedFindingSchema>;

/** A member of staff who can receive messages: contacts plus the full name (Фамилия Имя Отчество). */
export const staffMemberSchema = recipientSchema.extend({ name: z.string().min(1) });
export type StaffMember = z.infer<typeof staffMemberSchema>;
