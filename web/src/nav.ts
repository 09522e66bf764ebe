// The console's pages: path, menu label and the permission that opens it. The menu and the routes
// are built from this one list, so a page a role may not open is neither shown nor reachable.
import type { Permission, Role } from "./session.tsx";

export interface PageEntry {
  path: string;
  label: string;
  permission: Permission;
  /** Shown only to these roles (e.g. «Мои замечания» for a teacher). */
  roles?: readonly Role[];
}

export const PAGES: readonly PageEntry[] = [
  { path: "/findings", label: "Нарушения", permission: "findings.read", roles: ["deputy", "director"] },
  { path: "/my", label: "Мои замечания", permission: "findings.read", roles: ["teacher"] },
  { path: "/compliance", label: "Соблюдение регламента", permission: "compliance.read" },
  { path: "/incidents", label: "Инциденты", permission: "incidents.read" },
  { path: "/escalation", label: "Эскалация", permission: "escalation.read" },
  { path: "/reports", label: "Отчёты", permission: "reports.read" },
  { path: "/analytics", label: "Аналитика", permission: "analytics.read" },
  { path: "/sources", label: "Источники", permission: "sources.read" },
  { path: "/jobs", label: "Очередь заданий", permission: "jobs.read" },
  { path: "/users", label: "Пользователи", permission: "users.read" },
  { path: "/archive", label: "Архив", permission: "archive.read" },
  { path: "/audit", label: "Журнал аудита", permission: "audit.read" },
  {
    path: "/channels",
    label: "Мои уведомления",
    permission: "own-channels.change",
    roles: ["teacher", "coordinator"],
  },
];
