// Console accounts in the store (migration 013): passwords only as argon2id hashes, schools a user
// belongs to, and the lookups the session middleware and the CLI (`reglament user …`) share.
import { hash, verify } from "@node-rs/argon2";
import type { Db } from "../store/db.ts";
import { type ApiUser, ROLES, type Role } from "./types.ts";

/** argon2id (the library's default algorithm) with OWASP's minimum memory cost: 19 MiB, t=2, p=1. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 8;
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/i;

export class UserStoreError extends Error {}

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UserStoreError(`password too short: at least ${MIN_PASSWORD_LENGTH} characters`);
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A valid hash of nothing anyone types: verifying against it makes an unknown login cost the same time. */
let dummyHash: Promise<string> | undefined;
export const timingDummyHash = () => {
  dummyHash ??= hash(`no-such-user-${Math.random()}`, ARGON2);
  return dummyHash;
};

export interface UserRecord extends ApiUser {
  passwordHash: string;
  failedLogins: number;
  lockedUntil: Date | null;
  disabled: boolean;
  createdAt: Date;
}

interface Raw {
  id: string | number;
  login: string;
  display_name: string;
  password_hash: string;
  role: Role;
  person_id: string | null;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
  created_at: Date;
  school_ids: string[] | null;
}

const SELECT = `SELECT u.*, COALESCE((SELECT array_agg(s.school_id ORDER BY s.school_id) FROM user_schools s
  WHERE s.user_id = u.id), '{}') AS school_ids FROM users u`;

function fromRaw(r: Raw): UserRecord {
  return {
    id: Number(r.id),
    login: r.login,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    role: r.role,
    personId: r.person_id,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    disabled: r.disabled,
    createdAt: r.created_at,
    schoolIds: r.school_ids ?? [],
  };
}

/** The session's view of a user (no hash, no counters). */
export function apiUserOf(u: UserRecord): ApiUser {
  return {
    id: u.id,
    login: u.login,
    displayName: u.displayName,
    role: u.role,
    schoolIds: u.schoolIds,
    personId: u.personId,
  };
}

export async function findUserByLogin(db: Db, login: string): Promise<UserRecord | undefined> {
  const [r] = await db.query<Raw>(`${SELECT} WHERE lower(u.login) = lower($1)`, [login]);
  return r ? fromRaw(r) : undefined;
}

export async function getUser(db: Db, id: number): Promise<UserRecord | undefined> {
  const [r] = await db.query<Raw>(`${SELECT} WHERE u.id = $1`, [id]);
  return r ? fromRaw(r) : undefined;
}

/** Users of one school (or all, for the CLI), by login. */
export async function listUsers(db: Db, schoolId?: string): Promise<UserRecord[]> {
  const rows = schoolId
    ? await db.query<Raw>(
        `${SELECT} WHERE EXISTS (SELECT 1 FROM user_schools s WHERE s.user_id = u.id AND s.school_id = $1)
         ORDER BY u.login`,
        [schoolId],
      )
    : await db.query<Raw>(`${SELECT} ORDER BY u.login`);
  return rows.map(fromRaw);
}

export interface NewUser {
  login: string;
  displayName: string;
  password: string;
  role: Role;
  schoolIds: string[];
  personId?: string | null;
}

function checkRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new UserStoreError(`unknown role "${role}" (one of ${ROLES.join(", ")})`);
}

export async function createUser(db: Db, u: NewUser): Promise<UserRecord> {
  if (!LOGIN_PATTERN.test(u.login))
    throw new UserStoreError(`login "${u.login}": 2–64 letters, digits, ".", "_", "@" or "-"`);
  checkRole(u.role);
  const passwordHash = await hashPassword(u.password);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO users (login, display_name, password_hash, role, person_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING RETURNING id`,
      [u.login, u.displayName, passwordHash, u.role, u.personId ?? null],
    );
    if (!row) throw new UserStoreError(`login "${u.login}" is taken`);
    await setSchoolsIn(tx, Number(row.id), u.schoolIds);
    return (await getUser(tx, Number(row.id))) as UserRecord;
  });
}

async function setSchoolsIn(db: Db, userId: number, schoolIds: string[]): Promise<void> {
  await db.query("DELETE FROM user_schools WHERE user_id = $1", [userId]);
  for (const s of new Set(schoolIds))
    await db.query("INSERT INTO user_schools (user_id, school_id) VALUES ($1, $2)", [userId, s]);
}

export async function setUserSchools(db: Db, userId: number, schoolIds: string[]): Promise<void> {
  await db.transaction((tx) => setSchoolsIn(tx, userId, schoolIds));
}

/** A new password also clears a lockout and ends every session of the user. */
export async function setPassword(db: Db, userId: number, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = now()
       WHERE id = $1`,
      [userId, passwordHash],
    );
    await tx.query("DELETE FROM user_sessions WHERE user_id = $1", [userId]);
  });
}

export async function setRole(db: Db, userId: number, role: string): Promise<void> {
  checkRole(role);
  await db.query("UPDATE users SET role = $2, updated_at = now() WHERE id = $1", [userId, role]);
}

export async function updateUser(
  db: Db,
  userId: number,
  change: { displayName?: string; disabled?: boolean; personId?: string | null },
): Promise<void> {
  if (change.displayName !== undefined)
    await db.query("UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1", [
      userId,
      change.displayName,
    ]);
  if (change.personId !== undefined)
    await db.query("UPDATE users SET person_id = $2, updated_at = now() WHERE id = $1", [
      userId,
      change.personId,
    ]);
  if (change.disabled !== undefined) {
    await db.query("UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1", [
      userId,
      change.disabled,
    ]);
    if (change.disabled) await db.query("DELETE FROM user_sessions WHERE user_id = $1", [userId]);
  }
}

/** The schools of the store with their names (a user's schools are shown by name). */
export async function schoolNames(
  db: Db,
  ids: string[],
): Promise<{ id: string; name: string; timezone: string | null }[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string; name: string; timezone: string }>(
    "SELECT id, name, timezone FROM schools WHERE id = ANY($1::text[])",
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  // A school the user was given before its first sync has no row yet: its id stands for its name.
  // The timezone is the school's: the console shows every time as the school reads its clock.
  return ids.map((id) => ({ id, name: byId.get(id)?.name ?? id, timezone: byId.get(id)?.timezone ?? null }));
}
