// The shapes of the findings API (contract: api-findings).
export interface FindingView {
  id: string | number;
  ruleId: string;
  ruleTitle: string;
  clause: string;
  status: string;
  level?: number | string | null;
  severity?: string | number | null;
  teacherId?: string | null;
  teacherName?: string | null;
  classId?: string | null;
  className?: string | null;
  subjectId?: string | null;
  subjectName?: string | null;
  date?: string | null;
  deadline?: string | null;
  detectedAt?: string | null;
  resolvedAt?: string | null;
  message: string;
  evidenceText?: string | null;
}

export interface FindingDetailView extends FindingView {
  evidence?: unknown;
  history?: {
    kind: string;
    at: string;
    detail?: Record<string, unknown> | string | null;
    by?: string | null;
    byName?: string | null;
  }[];
  waiveReason?: string | null;
  whatToFix?: string | null;
  resolution?: unknown;
}

export interface Facets {
  teachers: { id: string; name: string }[];
  classes: { id: string; name: string }[];
  subjects: { id: string; name: string }[];
  rules: { id: string; title: string; clause?: string }[];
}

export const HISTORY_KIND: Record<string, string> = {
  detected: "Выявлено",
  opened: "Выявлено",
  created: "Выявлено",
  escalated: "Эскалация",
  notified: "Отправлено уведомление",
  resolved: "Устранено",
  waived: "Снято",
  reopened: "Открыто снова",
  "still-open": "Остаётся открытым",
};
