// Users and roles: the director and the admin read a school's users; the admin adds and edits them,
// granting only schools they belong to themselves.
import express, { type Request } from "express";
import { z } from "zod";
import { writeAudit } from "./audit.ts";
import { badRequest, conflict, forbidden, notFound } from "./problem.ts";
import { addRoute } from "./route.ts";
import { type ApiDeps, ROLE_LABELS_RU, ROLES } from "./types.ts";
import {
  createUser,
  getUser,
  LOGIN_PATTERN,
  listUsers,
  MIN_PASSWORD_LENGTH,
  setPassword,
  setRole,
  setUserSchools,
  type UserRecord,
  UserStoreError,
  updateUser,
} from "./users.ts";
import { parseBody, parseParams } from "./validate.ts";

export const userRowSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  schoolIds: z.array(z.string()),
  personId: z.string().nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  createdAt: z.string(),
});

const password = z.string().min(MIN_PASSWORD_LENGTH, `не короче ${MIN_PASSWORD_LENGTH} знаков`).max(200);
const addSchema = z.object({
  login: z.string().regex(LOGIN_PATTERN, "2–64 латинские буквы, цифры, «.», «_», «@», «-»"),
  displayName: z.string().trim().min(1).max(200),
  password,
  role: z.enum(ROLES),
  schoolIds: z.array(z.string().min(1).max(100)).min(1).max(100),
  personId: z.string().min(1).max(100).nullable().optional(),
});
const patchSchema = z.object({
  role: z.enum(ROLES).optional(),
  displayName: z.string().trim().min(1).max(200).optional(),
  password: password.optional(),
  disabled: z.boolean().optional(),
  schoolIds: z.array(z.string().min(1).max(100)).max(100).optional(),
  personId: z.string().min(1).max(100).nullable().optional(),
});

const rowOf = (u: UserRecord) => ({
  id: u.id,
  login: u.login,
  displayName: u.displayName,
  role: u.role,
  roleLabel: ROLE_LABELS_RU[u.role],
  schoolIds: u.schoolIds,
  personId: u.personId,
  disabled: u.disabled,
  locked: Boolean(u.lockedUntil && u.lockedUntil > new Date()),
  createdAt: new Date(u.createdAt).toISOString(),
});

function onlyOwnSchools(req: Request, schoolIds: string[]): void {
  const own = req.user?.schoolIds ?? [];
  if (schoolIds.some((s) => !own.includes(s)))
    throw forbidden("Можно выдавать доступ только к своим школам.");
}

export function usersRouter(deps: ApiDeps): express.Router {
  const router = express.Router();
  const tags = ["users"];
  addRoute(
    router,
    {
      method: "get",
      path: "/schools/:school/users",
      summary: "The school's console users",
      permission: "users.read",
      response: z.array(userRowSchema),
      tags,
    },
    async (req) => {
      const users = await listUsers(deps.db, req.schoolId);
      await writeAudit(deps.db, req, { action: "users.list" });
      return users.map(rowOf);
    },
  );
  addRoute(
    router,
    {
      method: "post",
      path: "/users",
      summary: "Add a console user",
      permission: "users.change",
      body: addSchema,
      response: userRowSchema,
      tags,
    },
    async (req, res) => {
      const body = parseBody(addSchema, req);
      onlyOwnSchools(req, body.schoolIds);
      if (body.role === "teacher" && !body.personId)
        throw badRequest("Для учителя нужен personId (его id на платформе).");
      let u: UserRecord;
      try {
        u = await createUser(deps.db, body);
      } catch (err) {
        if (err instanceof UserStoreError)
          throw /taken/.test(err.message) ? conflict("Такой логин уже есть.") : badRequest(err.message);
        throw err;
      }
      await writeAudit(deps.db, req, {
        action: "user.add",
        target: `user:${u.id}`,
        detail: { role: u.role, schoolIds: u.schoolIds },
      });
      res.status(201);
      return rowOf(u);
    },
  );
  const idSchema = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
  addRoute(
    router,
    {
      method: "patch",
      path: "/users/:id",
      summary: "Change a user's role, name, password, schools, or disable them",
      permission: "users.change",
      body: patchSchema,
      response: userRowSchema,
      tags,
    },
    async (req) => {
      const { id } = parseParams(idSchema, req);
      const body = parseBody(patchSchema, req);
      const own = req.user?.schoolIds ?? [];
      const target = await getUser(deps.db, id);
      if (!target?.schoolIds.some((s) => own.includes(s))) throw notFound("Нет такого пользователя.");
      if (body.schoolIds) {
        onlyOwnSchools(req, body.schoolIds);
        // Schools the admin does not belong to stay as they are.
        await setUserSchools(deps.db, id, [
          ...target.schoolIds.filter((s) => !own.includes(s)),
          ...body.schoolIds,
        ]);
      }
      if (body.role) await setRole(deps.db, id, body.role);
      if (body.password) await setPassword(deps.db, id, body.password);
      await updateUser(deps.db, id, {
        displayName: body.displayName,
        disabled: body.disabled,
        personId: body.personId,
      });
      await writeAudit(deps.db, req, {
        action: "user.change",
        target: `user:${id}`,
        detail: {
          role: body.role,
          schoolIds: body.schoolIds,
          disabled: body.disabled,
          password: body.password ? "changed" : undefined,
          displayName: body.displayName ? "changed" : undefined,
        },
      });
      return rowOf((await getUser(deps.db, id)) as UserRecord);
    },
  );
  return router;
}
