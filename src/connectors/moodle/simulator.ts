// A small local Moodle: serves a canonical Dataset over /webservice/rest/server.php in Moodle's
// exact shapes (simulator-site.ts), with switchable faults, for end-to-end tests and demos. Like
// Moodle it takes arguments from the query and from a form-encoded POST body, the body winning.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dataset } from "../../dataset/types.ts";
import type { CourseMapping } from "./config.ts";
import { type PhpValue, parsePhpParams } from "./params.ts";
import { buildMoodleSite, type MoodleSite, type Row } from "./simulator-site.ts";

export interface MoodleFaults {
  /** Delay before every answer. */
  latencyMs?: number;
  /** The next N requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimited?: number;
  retryAfterSeconds?: number;
  /** The next N requests answer 503. */
  unavailable?: number;
  /** The next N requests answer an HTML error page with `htmlStatus` (default 200, as a broken proxy might). */
  htmlPage?: number;
  htmlStatus?: number;
  /** Every request answers HTTP 200 with Moodle's invalidtoken exception. */
  invalidToken?: boolean;
  /** Per function, the first record of its first non-empty list is malformed (courses, users, sessions, assignments). */
  malformedRecord?: boolean;
}

export interface MoodleSimulatorOptions {
  dataset: Dataset;
  /** The token of an account with every capability the connector needs. */
  token: string;
  /**
   * A second token, of a read-only account (a non-editing teacher on the school's category plus
   * moodle/course:view), answered as real Moodle 4.3 answers it: no idnumber of courses or users (no
   * moodle/course:update, moodle/user:viewalldetails), nopermissions from core_group_get_course_groups
   * (no moodle/course:managegroups), notingroup and no users in separate-groups courses.
   */
  readOnlyToken?: string;
  /** Courses (Moodle ids) neither account may open: errorcoursecontextnotvalid, as without moodle/course:view. */
  noAccessCourses?: number[];
  /** Courses (Moodle ids) in separate-groups mode besides those of groups-as-classes (which always are). */
  separateGroupsCourses?: number[];
  port?: number;
  /** Whether mod_attendance is installed (default true). */
  attendancePlugin?: boolean;
  courseMapping?: CourseMapping;
  faults?: MoodleFaults;
}

export interface MoodleSimulator {
  url: string;
  /** The site as laid out: Moodle ids of canonical entities, for tests. */
  site: MoodleSite;
  setFaults(faults: MoodleFaults): void;
  /** Requests received so far (faulted ones included). */
  requests(): number;
  /** wsfunction names in the order they were called. */
  calls(): string[];
  /** Request lines (`POST /moodle/webservice/rest/server.php`) in the order received: what access logs keep. */
  lines(): string[];
  close(): Promise<void>;
}

type Args = Record<string, PhpValue>;

class WsException extends Error {
  constructor(
    readonly exception: string,
    readonly errorcode: string,
    message: string,
  ) {
    super(message);
  }
}

const int = (v: PhpValue | undefined, name: string): number => {
  if (typeof v !== "string" || !/^-?\d+$/.test(v)) {
    throw new WsException(
      "invalid_parameter_exception",
      "invalidparameter",
      `Invalid parameter value detected (${name})`,
    );
  }
  return Number(v);
};
const intList = (v: PhpValue | undefined): number[] => (Array.isArray(v) ? v.map((x) => int(x, "list")) : []);
const nameValues = (v: PhpValue | undefined): Map<string, string> => {
  const out = new Map<string, string>();
  if (Array.isArray(v)) {
    for (const o of v)
      if (o && typeof o === "object" && !Array.isArray(o)) out.set(String(o.name), String(o.value));
  }
  return out;
};

export async function startMoodleSimulator(options: MoodleSimulatorOptions): Promise<MoodleSimulator> {
  const site = buildMoodleSite(options.dataset, {
    courseMapping: options.courseMapping,
    attendancePlugin: options.attendancePlugin,
  });
  let faults: MoodleFaults = { ...options.faults };
  let count = 0;
  const called: string[] = [];
  const requestLines: string[] = [];
  const broken = new Set<string>();
  /** With the fault on, the first non-empty list each function returns has its first record broken. */
  const maybeBreak = <T extends Row>(list: T[], field: string, bad: unknown): T[] => {
    const fn = called[called.length - 1];
    if (!faults.malformedRecord || list.length === 0 || broken.has(fn)) return list;
    broken.add(fn);
    return [{ ...list[0], [field]: bad }, ...list.slice(1)];
  };

  const noAccess = new Set(options.noAccessCourses ?? []);
  for (const c of site.courses) if (options.separateGroupsCourses?.includes(c.id)) c.row.groupmode = 1;
  const courseContext = (courseid: number) => {
    if (noAccess.has(courseid))
      throw new WsException(
        "moodle_exception",
        "errorcoursecontextnotvalid",
        `You cannot execute functions in the course context (course id:${courseid}). The context error message was: Course or activity not accessible. (Not enrolled)`,
      );
  };
  const separateGroups = (courseid: number) =>
    site.courses.find((c) => c.id === courseid)?.row.groupmode === 1;
  /** What core_course_get_courses gives without moodle/course:update (recorded from Moodle 4.3). */
  const READONLY_COURSE_FIELDS = [
    "id",
    "shortname",
    "categoryid",
    "fullname",
    "displayname",
    "summary",
    "summaryformat",
    "format",
    "startdate",
    "enddate",
    "showactivitydates",
    "showcompletionconditions",
  ];
  const only = (row: Row, fields: string[]) =>
    Object.fromEntries(fields.flatMap((f) => (f in row ? [[f, row[f]]] : [])));

  const handlers: Record<string, (a: Args, readOnly: boolean) => unknown> = {
    core_webservice_get_site_info: () => site.info,
    core_course_get_courses: (a, readOnly) => {
      const ids = intList((a.options as Args | undefined)?.ids);
      // All or nothing: one course the account may not open fails the call (F4).
      for (const id of ids.length > 0 ? ids : site.courses.map((c) => c.id)) courseContext(id);
      const front = {
        id: 1,
        shortname: "school",
        fullname: String(site.info.sitename),
        idnumber: "",
        format: "site",
      };
      const courses = maybeBreak(
        site.courses.map((c) => c.row),
        "fullname",
        null,
      );
      const all = [{ ...front, categoryid: 0, visible: 1 }, ...courses];
      const list = ids.length > 0 ? all.filter((c) => ids.includes(c.id as number)) : all;
      return readOnly ? list.map((c) => only(c, READONLY_COURSE_FIELDS)) : list;
    },
    core_enrol_get_enrolled_users: (a, readOnly) => {
      const courseid = int(a.courseid, "courseid");
      courseContext(courseid);
      const users = site.enrolled.get(courseid);
      if (!users)
        throw new WsException(
          "dml_missing_record_exception",
          "invalidrecord",
          "Can't find data record in database table course.",
        );
      const opts = nameValues(a.options);
      const from = Number(opts.get("limitfrom") ?? 0);
      const limit = Number(opts.get("limitnumber") ?? 0);
      // Without accessallgroups a separate-groups course shows the account (in no group) nobody.
      if (readOnly && separateGroups(courseid)) return [];
      const page = limit > 0 ? users.slice(from, from + limit) : users.slice(from);
      // Only the fields asked for; no `groups` for a user in none; no idnumber when empty or hidden.
      const fields = opts
        .get("userfields")
        ?.split(",")
        .map((f) => f.trim());
      const shaped = page.map((u) => {
        const row: Row = fields ? only(u, ["id", ...fields]) : { ...u };
        if (Array.isArray(row.groups) && row.groups.length === 0) delete row.groups;
        if (readOnly || row.idnumber === "") delete row.idnumber;
        return row;
      });
      return maybeBreak(shaped, "id", "seventeen");
    },
    core_group_get_course_groups: (a, readOnly) => {
      const courseid = int(a.courseid, "courseid");
      courseContext(courseid);
      if (readOnly)
        throw new WsException(
          "required_capability_exception",
          "nopermissions",
          "Sorry, but you do not currently have permissions to do that (Manage groups).",
        );
      return site.groups.get(courseid) ?? [];
    },
    core_course_get_contents: (a) => {
      const courseid = int(a.courseid, "courseid");
      courseContext(courseid);
      const sections = site.contents.get(courseid);
      if (!sections)
        throw new WsException(
          "dml_missing_record_exception",
          "invalidrecord",
          "Can't find data record in database table course.",
        );
      const modname = nameValues(a.options).get("modname");
      if (!modname) return sections;
      return sections.map((s) => ({
        ...s,
        modules: (s.modules as Row[]).filter((m) => m.modname === modname),
      }));
    },
    mod_assign_get_assignments: (a) => {
      const ids = intList(a.courseids);
      const asked = site.courses.filter((c) => ids.length === 0 || ids.includes(c.id));
      const courses = asked.filter((c) => !noAccess.has(c.id));
      return {
        courses: courses.map((c) => ({
          id: c.id,
          fullname: c.row.fullname,
          shortname: c.row.shortname,
          timemodified: c.row.timemodified,
          assignments: maybeBreak(
            site.assignments.filter((x) => x.course === c.id),
            "duedate",
            "tomorrow",
          ),
        })),
        warnings: asked
          .filter((c) => noAccess.has(c.id))
          .map((c) => ({
            item: "course",
            itemid: c.id,
            warningcode: "1",
            message: "No access rights in course context",
          })),
      };
    },
    mod_assign_get_grades: (a) => {
      const ids = intList(a.assignmentids);
      return {
        assignments: ids
          .filter((id) => site.assignGrades.has(id))
          .map((id) => ({ assignmentid: id, grades: site.assignGrades.get(id) })),
        warnings: ids
          .filter((id) => !site.assignGrades.has(id))
          .map((id) => ({ item: "assignment", itemid: id, warningcode: "3", message: "No grades found" })),
      };
    },
    gradereport_user_get_grade_items: (a, readOnly) => {
      const courseid = int(a.courseid, "courseid");
      courseContext(courseid);
      const items = site.gradebook.get(courseid);
      if (!items)
        throw new WsException(
          "dml_missing_record_exception",
          "invalidrecord",
          "Can't find data record in database table course.",
        );
      const userid = int(a.userid ?? "0", "userid");
      if (readOnly && userid === 0 && separateGroups(courseid))
        throw new WsException("moodle_exception", "notingroup", "error/notingroup");
      const students = (site.enrolled.get(courseid) ?? []).filter(
        (u) => (u.roles as Row[])[0].shortname === "student" && (userid === 0 || u.id === userid),
      );
      return {
        usergrades: students.map((u) => ({
          courseid,
          courseidnumber: site.courses.find((c) => c.id === courseid)?.key ?? "",
          userid: u.id,
          userfullname: u.fullname,
          useridnumber: u.idnumber,
          maxdepth: 2,
          gradeitems: items.map((it) => {
            const cell = it.cells.get(u.id as number);
            return {
              ...it.row,
              ...(cell ? {} : { status: "novalue" }),
              graderaw: cell ? cell.graderaw : null,
              gradedatesubmitted: null,
              gradedategraded: cell ? cell.gradedategraded : null,
              gradehiddenbydate: false,
              gradeneedsupdate: false,
              gradeishidden: false,
              gradeislocked: false,
              gradeisoverridden: it.row.itemtype === "category" && !!cell,
              gradeformatted: cell ? cell.gradeformatted : "-",
              percentageformatted: "-",
            };
          }),
        })),
        warnings: [],
      };
    },
    mod_attendance_get_sessions: (a) => {
      const id = int(a.attendanceid, "attendanceid");
      const list = site.sessions.get(id);
      if (
        list === undefined &&
        ![...site.contents.values()]
          .flat()
          .some((s) => (s.modules as Row[]).some((m) => m.modname === "attendance" && m.instance === id))
      ) {
        throw new WsException(
          "dml_missing_record_exception",
          "invalidrecord",
          "Can't find data record in database table course_modules.",
        );
      }
      return maybeBreak(list ?? [], "sessdate", "yesterday");
    },
  };

  const answer = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json",
      ...headers,
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    count += 1;
    requestLines.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const pairs: [string, string][] = [...url.searchParams.entries()];
    // PHP merges $_GET and $_POST with POST last: body arguments override query ones.
    if (chunks.length > 0 && /urlencoded/.test(req.headers["content-type"] ?? "")) {
      pairs.push(...new URLSearchParams(Buffer.concat(chunks).toString("utf8")).entries());
    }
    const args = parsePhpParams(pairs);
    const fn = typeof args.wsfunction === "string" ? args.wsfunction : "";
    called.push(fn);
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.rateLimited && faults.rateLimited > 0) {
      faults.rateLimited -= 1;
      answer(
        res,
        429,
        { error: "Too many requests" },
        { "Retry-After": String(faults.retryAfterSeconds ?? 0) },
      );
      return;
    }
    if (faults.unavailable && faults.unavailable > 0) {
      faults.unavailable -= 1;
      answer(res, 503, "<html><body><h1>503 Service Unavailable</h1></body></html>");
      return;
    }
    if (faults.htmlPage && faults.htmlPage > 0) {
      faults.htmlPage -= 1;
      answer(
        res,
        faults.htmlStatus ?? 200,
        "<!DOCTYPE html><html><head><title>Ошибка</title></head><body><p>Error reading from database</p></body></html>",
      );
      return;
    }
    if (!url.pathname.endsWith("/webservice/rest/server.php")) {
      answer(res, 404, "<html><body>Not found</body></html>");
      return;
    }
    const ex = (e: WsException) =>
      answer(res, 200, { exception: e.exception, errorcode: e.errorcode, message: e.message });
    const readOnly = options.readOnlyToken !== undefined && args.wstoken === options.readOnlyToken;
    if (faults.invalidToken || (args.wstoken !== options.token && !readOnly)) {
      ex(new WsException("moodle_exception", "invalidtoken", "Invalid token - token not found"));
      return;
    }
    if (args.moodlewsrestformat !== "json") {
      answer(res, 200, '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE></RESPONSE>');
      return;
    }
    const handler = handlers[fn];
    if (!handler || !site.functions.includes(fn)) {
      ex(
        new WsException(
          "webservice_access_exception",
          "accessexception",
          `Access control exception (Access to the function ${fn}() is not allowed. There could be multiple reasons for this: 1. The service linked to the user token does not contain the function. 2. The service is user-restricted and the user is not listed. 3. The service is disabled.)`,
        ),
      );
      return;
    }
    try {
      answer(res, 200, handler(args, readOnly));
    } catch (e) {
      if (e instanceof WsException) ex(e);
      else answer(res, 500, "<html><body>Internal error</body></html>");
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, "<html><body>Internal error</body></html>");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/moodle`;
  site.info.siteurl = url;
  return {
    url,
    site,
    setFaults(f: MoodleFaults) {
      faults = { ...f };
    },
    requests: () => count,
    calls: () => [...called],
    lines: () => [...requestLines],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
