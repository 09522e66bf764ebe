// Dates, numbers and statuses the way a Russian school reads them.
let dateTime = formatters(undefined).dateTime;
let dateOnly = formatters(undefined).dateOnly;
let zone: string | undefined;

function formatters(timeZone: string | undefined) {
  return {
    dateTime: new Intl.DateTimeFormat("ru-RU", {
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    }),
    dateOnly: new Intl.DateTimeFormat("ru-RU", {
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      timeZone,
    }),
  };
}

/** Show times on this clock (the school's IANA zone); undefined = the browser's. */
export function setDisplayTimeZone(timeZone: string | undefined): void {
  if (timeZone === zone) return;
  try {
    ({ dateTime, dateOnly } = formatters(timeZone));
    zone = timeZone;
  } catch {
    // An unknown zone name: keep the browser's clock rather than break every page.
  }
}

export function fmtDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateTime.format(d);
}

export function fmtDate(value: string | null | undefined): string {
  if (!value) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return `${d}.${m}.${y}`;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateOnly.format(d);
}

/** A percent 0–100 as «87,5 %». */
export function fmtPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `${value.toLocaleString("ru-RU", { maximumFractionDigits: 1 })} %`;
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} мс`;
  const s = ms / 1000;
  if (s < 60) return `${s.toLocaleString("ru-RU", { maximumFractionDigits: 1 })} с`;
  return `${Math.floor(s / 60)} мин ${Math.round(s % 60)} с`;
}

export const FINDING_STATUS: Record<string, { label: string; color: string }> = {
  open: { label: "Открыто", color: "red" },
  resolved: { label: "Устранено", color: "green" },
  waived: { label: "Снято", color: "gray" },
};

export const RUN_STATUS: Record<string, { label: string; color: string }> = {
  ok: { label: "Успешно", color: "green" },
  succeeded: { label: "Успешно", color: "green" },
  success: { label: "Успешно", color: "green" },
  partial: { label: "Частично", color: "yellow" },
  failed: { label: "Ошибка", color: "red" },
  running: { label: "Идёт", color: "blue" },
};

export const JOB_STATE: Record<string, string> = {
  waiting: "Ожидают",
  active: "Выполняются",
  completed: "Выполнены",
  failed: "С ошибкой",
  delayed: "Отложены",
  paused: "Приостановлены",
};

export function label(
  map: Record<string, { label: string } | string>,
  key: string | null | undefined,
): string {
  if (!key) return "—";
  const entry = map[key];
  if (entry === undefined) return key;
  return typeof entry === "string" ? entry : entry.label;
}
