// `reglament user add|passwd|role|list`: console accounts from the terminal (the first admin, a
// forgotten password). The password comes from --password-stdin, REGLAMENT_USER_PASSWORD or a
// prompt that does not echo; it is never printed nor logged.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import type { Command } from "commander";
import { ROLE_LABELS_RU, ROLES } from "../../api/types.ts";
import {
  createUser,
  findUserByLogin,
  listUsers,
  setPassword,
  setRole,
  UserStoreError,
} from "../../api/users.ts";
import type { Db } from "../../store/db.ts";
import { configFrom, globalOptions, openStoreFrom } from "../context.ts";
import { table } from "../format.ts";
import { UserError } from "../user-error.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks twice on a terminal, echoing nothing. */
async function prompt(question: string): Promise<string> {
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stderr.write(q);
      const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
      rl.question("", (answer) => {
        rl.close();
        process.stderr.write("\n");
        resolve(answer);
      });
    });
  const first = await ask(question);
  const again = await ask("Repeat the password: ");
  if (first !== again) throw new UserError("the passwords differ");
  return first;
}

async function readPassword(opts: { passwordStdin?: boolean }): Promise<string> {
  if (opts.passwordStdin) return readStdin();
  if (process.env.REGLAMENT_USER_PASSWORD) return process.env.REGLAMENT_USER_PASSWORD;
  if (process.stdin.isTTY) return prompt("Password: ");
  throw new UserError("no password: use --password-stdin, set REGLAMENT_USER_PASSWORD, or run in a terminal");
}

async function withStore<T>(cmd: Command, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStoreFrom(configFrom(globalOptions(cmd)));
  try {
    return await fn(db);
  } catch (err) {
    if (err instanceof UserStoreError) throw new UserError(err.message);
    throw err;
  } finally {
    await db.close();
  }
}

async function mustFind(db: Db, login: string) {
  const u = await findUserByLogin(db, login);
  if (!u) throw new UserError(`no user "${login}" (see \`reglament user list\`)`);
  return u;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerUser(program: Command): void {
  const user = program.command("user").description("console users: add, passwd, role, list");
  user
    .command("add")
    .description("add a console user")
    .argument("<login>")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .requiredOption("--school <id>", "a school the user belongs to (repeatable)", collect)
    .option("--name <name>", "the name shown in the console (default: the login)")
    .option("--person <id>", "a teacher's person id on the platform (their findings)")
    .option("--password-stdin", "read the password from standard input")
    .action(
      async (
        login: string,
        o: { role: string; school: string[]; name?: string; person?: string; passwordStdin?: boolean },
        cmd: Command,
      ) => {
        if (!(ROLES as readonly string[]).includes(o.role))
          throw new UserError(`unknown role "${o.role}" (one of ${ROLES.join(", ")})`);
        if (o.role === "teacher" && !o.person)
          throw new UserError("a teacher needs --person <id> (their id on the platform)");
        const password = await readPassword(o);
        const u = await withStore(cmd, (db) =>
          createUser(db, {
            login,
            displayName: o.name ?? login,
            password,
            role: o.role as (typeof ROLES)[number],
            schoolIds: o.school,
            personId: o.person ?? null,
          }),
        );
        console.log(`User ${u.login} (${u.role}) added to ${u.schoolIds.join(", ")}.`);
      },
    );
  user
    .command("passwd")
    .description("set a user's password (ends their sessions, clears a lockout)")
    .argument("<login>")
    .option("--password-stdin", "read the password from standard input")
    .action(async (login: string, o: { passwordStdin?: boolean }, cmd: Command) => {
      const password = await readPassword(o);
      await withStore(cmd, async (db) => setPassword(db, (await mustFind(db, login)).id, password));
      console.log(`Password of ${login} changed.`);
    });
  user
    .command("role")
    .description("set a user's role")
    .argument("<login>")
    .argument("<role>", ROLES.join(" | "))
    .action(async (login: string, role: string, _o, cmd: Command) => {
      await withStore(cmd, async (db) => setRole(db, (await mustFind(db, login)).id, role));
      console.log(`${login} is now ${role}.`);
    });
  user
    .command("list")
    .description("list console users")
    .action(async (_o, cmd: Command) => {
      const users = await withStore(cmd, (db) => listUsers(db));
      if (users.length === 0)
        return console.log("No users yet: `reglament user add <login> --role admin --school ID`.");
      console.log(
        table(
          ["login", "role", "schools", "state"],
          users.map((u) => [
            u.login,
            `${u.role} (${ROLE_LABELS_RU[u.role]})`,
            u.schoolIds.join(", "),
            u.disabled ? "disabled" : u.lockedUntil && u.lockedUntil > new Date() ? "locked" : "active",
          ]),
        ),
      );
    });
}
