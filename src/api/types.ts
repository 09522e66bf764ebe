// What every part of the REST API shares: the roles, the signed-in user, and the dependencies a
// router is built from. Routers get `req.user` from the session middleware and `req.schoolId` from
// the school-scope middleware (access.ts); they never read another school's rows.
import type { Config } from "../config/schema.ts";
import type { JobQueue } from "../queue/types.ts";
import type { Db } from "../store/db.ts";

/** deputy = зам. по УВР, coordinator = координатор/методист, admin = IT staff (operations only). */
export const ROLES = ["deputy", "coordinator", "admin", "director", "teacher"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS_RU: Record<Role, string> = {
  deputy: "Заместитель директора по УВР",
  coordinator: "Координатор",
  admin: "Администратор (ИТ)",
  director: "Директор",
  teacher: "Учитель",
};

export interface ApiUser {
  id: number;
  login: string;
  /** Shown in the console's header; never logged. */
  displayName: string;
  role: Role;
  /** The schools this user belongs to; nothing of another school is visible. */
  schoolIds: string[];
  /** A teacher's person id on the platform (the `responsible_id` of findings); null for other roles. */
  personId: string | null;
}

export interface ApiDeps {
  db: Db;
  config: Config;
  queue: JobQueue;
  /** The clock routes use (deadlines, "this week"); tests inject one. */
  now: () => Date;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by the session middleware for a signed-in user. */
      user?: ApiUser;
      /** Set by schoolScope() from `:school` after checking the user belongs to it. */
      schoolId?: string;
      /** The session's id (for the audit log and CSRF); never sent back except in its cookie. */
      sessionId?: string;
    }
  }
}
