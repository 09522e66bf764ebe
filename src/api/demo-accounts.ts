// `npm start`'s console accounts: one per role in the demo school, with fresh random passwords each
// start (printed on the terminal, never logged). The teacher is the demo teacher with the most open
// findings, so «Мои замечания» has something to show.
import { randomBytes } from "node:crypto";
import type { Db } from "../store/db.ts";
import { ROLE_LABELS_RU, ROLES, type Role } from "./types.ts";
import { createUser, findUserByLogin, setPassword, setUserSchools, updateUser } from "./users.ts";

export interface DemoAccount {
  login: string;
  password: string;
  role: Role;
  displayName: string;
}

/** The person responsible for the most open findings of the school (null: no findings). */
export async function busiestTeacher(db: Db, schoolId: string): Promise<{ id: string; name: string } | null> {
  const [row] = await db.query<{ id: string; name: string | null }>(
    `SELECT v.responsible_id AS id, (SELECT p.name FROM persons p WHERE p.school_id = v.school_id
       AND p.id = v.responsible_id AND p.deleted_at IS NULL LIMIT 1) AS name
     FROM violations v WHERE v.school_id = $1 AND v.status = 'open' AND v.responsible_id IS NOT NULL
     GROUP BY v.school_id, v.responsible_id ORDER BY count(*) DESC, v.responsible_id LIMIT 1`,
    [schoolId],
  );
  return row ? { id: row.id, name: row.name ?? "Учитель (демо)" } : null;
}

export async function ensureDemoAccounts(db: Db, schoolId: string): Promise<DemoAccount[]> {
  const teacher = await busiestTeacher(db, schoolId);
  const out: DemoAccount[] = [];
  for (const role of ROLES) {
    if (role === "teacher" && !teacher) continue;
    const login = role;
    const password = randomBytes(9).toString("base64url");
    const displayName = role === "teacher" && teacher ? teacher.name : `${ROLE_LABELS_RU[role]} (демо)`;
    const personId = role === "teacher" && teacher ? teacher.id : null;
    const existing = await findUserByLogin(db, login);
    if (existing) {
      await setPassword(db, existing.id, password);
      await setUserSchools(db, existing.id, [...new Set([...existing.schoolIds, schoolId])]);
      await updateUser(db, existing.id, { displayName, personId, disabled: false });
    } else {
      await createUser(db, { login, displayName, password, role, schoolIds: [schoolId], personId });
    }
    out.push({ login, password, role, displayName });
  }
  return out;
}
