// Who is signed in (GET /api/v1/session), the school the console shows, and what the role may open.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import { api, setCsrfToken } from "./api.ts";
import { setDisplayTimeZone } from "./format.ts";

export type Role = "deputy" | "coordinator" | "admin" | "director" | "teacher";

export interface SessionUser {
  id: number;
  login: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  schools: { id: string; name: string; timezone: string | null }[];
  personId: string | null;
}

interface SessionAnswer {
  user: SessionUser;
  csrfToken: string;
}

interface SessionState {
  /** undefined while the first probe runs, null when nobody is signed in. */
  user: SessionUser | null | undefined;
  schoolId: string;
  setSchoolId(id: string): void;
  signedIn(answer: SessionAnswer): void;
  signOut(): Promise<void>;
  /** Forget the session locally (after a 401). */
  expired(): void;
}

const SessionContext = createContext<SessionState | null>(null);

const SCHOOL_KEY = "reglament.school";

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [schoolId, setSchool] = useState("");

  const signedIn = useCallback((answer: SessionAnswer) => {
    setCsrfToken(answer.csrfToken);
    setUser(answer.user);
    const saved = sessionStorage.getItem(SCHOOL_KEY);
    const schools = answer.user.schools ?? [];
    setSchool(schools.some((s) => s.id === saved) ? (saved ?? "") : (schools[0]?.id ?? ""));
  }, []);

  useEffect(() => {
    api
      .get<SessionAnswer>("/api/v1/session", undefined, { allow401: true, quiet: true })
      .then(signedIn)
      .catch(() => setUser(null));
  }, [signedIn]);

  // Times are shown on the school's clock (deadlines are the school's 15:00, not the browser's).
  setDisplayTimeZone(user?.schools?.find((s) => s.id === schoolId)?.timezone ?? undefined);

  const value: SessionState = {
    user,
    schoolId,
    setSchoolId: (id) => {
      sessionStorage.setItem(SCHOOL_KEY, id);
      setSchool(id);
    },
    signedIn,
    signOut: async () => {
      try {
        await api.post("/api/v1/session/logout", {}, { allow401: true, quiet: true });
      } finally {
        setCsrfToken("");
        setUser(null);
      }
    },
    expired: () => {
      setCsrfToken("");
      setUser(null);
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}

/** The signed-in user and the school prefix of school-scoped routes (pages render only when signed in). */
export function useSchool(): { user: SessionUser; school: string; base: string } {
  const { user, schoolId } = useSession();
  if (!user) throw new Error("useSchool without a user");
  return { user, school: schoolId, base: `/api/v1/schools/${encodeURIComponent(schoolId)}` };
}

/** Same table as the server's PERMISSIONS (src/api/access.ts): only what the menu needs. */
const MAY: Record<string, readonly Role[]> = {
  "findings.read": ["deputy", "director", "teacher"],
  "findings.change": ["deputy"],
  "compliance.read": ["deputy", "director"],
  "incidents.read": ["deputy", "director"],
  "incidents.change": ["deputy"],
  "escalation.read": ["deputy", "director"],
  "own-channels.change": ["deputy", "director", "teacher", "coordinator"],
  "reports.read": ["deputy", "director", "coordinator"],
  "reports.create": ["deputy", "coordinator"],
  "analytics.read": ["deputy", "director", "coordinator"],
  "sources.read": ["admin"],
  "sources.change": ["admin"],
  "jobs.read": ["admin"],
  "jobs.change": ["admin"],
  "users.read": ["admin", "director"],
  "users.change": ["admin"],
  "archive.read": ["admin", "director"],
  "audit.read": ["director"],
};
export type Permission = keyof typeof MAY;

export function may(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && (MAY[permission] ?? []).includes(role);
}
