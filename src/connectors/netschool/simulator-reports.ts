// The NetSchool simulator's reports: the filters of StudentGrades / StudentTotal, the queue, a SignalR
// queue hub on a real WebSocket (the `ws` server; JSON hub protocol, 0x1E separators) and the HTML
// files, shaped as the working clients read them (see report-html.ts). Faults: the hub refuses the
// connection, the queue answers 409, the `complete` event comes late.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { DateTime } from "luxon";
import { WebSocketServer } from "ws";
import type { Dataset } from "../../dataset/types.ts";
import type { Attendance, Mark, Person } from "../../model/records.ts";
import { decodeFrame, encodeMessages } from "./signalr-protocol.ts";

export interface ReportFaults {
  /** The hub answers the WebSocket upgrade with HTTP 500. */
  hubRefuses?: boolean;
  /** The queue answers 409 (lentryd issue #20). */
  queueConflict?: boolean;
  /** Delay of the `complete` event, ms. */
  slowCompleteMs?: number;
}

/** What the report HTML needs of the simulated server (the index the diary is served from). */
export interface ReportSource {
  ds: Dataset;
  terms: { id: string; title: string; start: string; end: string }[];
  /** Server ids. */
  pupilOf(serverId: string): Person | undefined;
  subjectName(id: string): string;
  typeName(mark: Mark): string;
  topicOf(lessonId: string): string;
  serverTermId(datasetId: string): string;
}

const ATTENDANCE_CODE: Record<Attendance["status"], string> = {
  absent: "НП",
  ill: "Б",
  late: "ОП",
  excused: "УП",
  present: "",
};
const MONTH_NAMES = [
  "Январь",
  "Февраль",
  "Март",
  "Апрель",
  "Май",
  "Июнь",
  "Июль",
  "Август",
  "Сентябрь",
  "Октябрь",
  "Ноябрь",
  "Декабрь",
];
const ru = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const page = (title: string, header: string, table: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>` +
  `<table><tr><td></td><td>${header}</td></tr></table>` +
  `<table class="table-print">${table}</table></body></html>`;

export class ReportBuilder {
  private readonly lessons: Map<string, Dataset["streams"]["lessons"][number]>;
  private readonly marksByPupil = new Map<string, Mark[]>();
  private readonly attendance = new Map<string, Attendance["status"]>();
  private readonly periodMarks = new Map<string, string>();
  private readonly lessonsByClass = new Map<string, Dataset["streams"]["lessons"]>();

  constructor(private readonly src: ReportSource) {
    const s = src.ds.streams;
    this.lessons = new Map(s.lessons.map((l) => [l.id, l]));
    for (const l of s.lessons) {
      const list = this.lessonsByClass.get(l.classId) ?? [];
      list.push(l);
      this.lessonsByClass.set(l.classId, list);
    }
    for (const m of s.marks) {
      const list = this.marksByPupil.get(m.studentId) ?? [];
      list.push(m);
      this.marksByPupil.set(m.studentId, list);
    }
    for (const a of s.attendance) this.attendance.set(`${a.studentId}|${a.lessonId}`, a.status);
    for (const p of s.periodMarks)
      this.periodMarks.set(`${p.studentId}|${p.subjectId}|${p.periodId}`, String(p.value));
  }

  /** The day a mark was set: its entry time's day in the school's zone, else its lesson's day. */
  setDate(m: Mark, lessonDate: string): string {
    if (!m.recordedAt) return lessonDate;
    return DateTime.fromISO(m.recordedAt).setZone(this.src.ds.manifest.school.timezone).toISODate()!;
  }

  /** Marks of a pupil in a subject and range that the diary shows (numeric, with a lesson). */
  marksOf(pupil: Person, subjectId: string, from: string, to: string) {
    return (this.marksByPupil.get(pupil.id) ?? []).flatMap((m) => {
      const l = m.lessonId ? this.lessons.get(m.lessonId) : undefined;
      const numeric = typeof m.value === "number" || /^[1-5]$/.test(m.value);
      if (!l || !numeric || m.subjectId !== subjectId || l.date < from || l.date > to) return [];
      return [{ mark: m, lesson: l }];
    });
  }

  studentGrades(pupil: Person, subjectId: string, from: string, to: string): string {
    const rows = this.marksOf(pupil, subjectId, from, to)
      .sort((a, b) => a.lesson.date.localeCompare(b.lesson.date) || a.lesson.number - b.lesson.number)
      .map(
        ({ mark, lesson }) =>
          `<tr><td>${esc(this.src.typeName(mark))}</td><td>${esc(this.src.topicOf(lesson.id))}</td>` +
          `<td>${ru(lesson.date)}</td><td>${ru(this.setDate(mark, lesson.date))}</td><td>${mark.value}</td></tr>`,
      );
    const header =
      `<span>Отчет об успеваемости</span><span>Период: </span><span>с ${ru(from)} по ${ru(to)}</span>` +
      `<span>Ученик: ${esc(pupil.name)}</span><span>Предмет: ${esc(this.src.subjectName(subjectId))}</span>`;
    return page(
      "Отчет об успеваемости",
      header,
      "<tr><th>Тип задания</th><th>Тема задания</th><th>Дата урока</th><th>Дата выставления</th><th>Оценка</th></tr>" +
        rows.join("") +
        `<tr class="totals"><td colspan="2">Итого</td><td>Средняя оценка:</td><td></td><td></td></tr>`,
    );
  }

  studentTotal(pupil: Person, from: string, to: string): string {
    const ofClass = this.lessonsByClass.get(pupil.classId ?? "") ?? [];
    const lessons = ofClass
      .filter((l) => l.date >= from && l.date <= to)
      .sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number);
    const days = [...new Set(lessons.map((l) => l.date))].sort();
    const months: { name: string; span: number }[] = [];
    for (const d of days) {
      const name = MONTH_NAMES[Number(d.slice(5, 7)) - 1];
      const last = months[months.length - 1];
      if (last && last.name === name) last.span += 1;
      else months.push({ name, span: 1 });
    }
    const subjects = [...new Set(ofClass.map((l) => l.subjectId))].sort();
    const headings = [...this.src.terms.map((t) => `${t.title} Итог`), "Средняя оценка"];
    const head1 =
      `<tr><th rowspan="2">Предмет</th>${months.map((m) => `<th colspan="${m.span}">${m.name}</th>`).join("")}` +
      `${headings.map((h) => `<th rowspan="2">${h}</th>`).join("")}</tr>`;
    const head2 = `<tr>${days.map((d) => `<th>${Number(d.slice(8, 10))}</th>`).join("")}</tr>`;
    const marks = new Map<string, string[]>();
    for (const m of this.marksByPupil.get(pupil.id) ?? []) {
      const l = m.lessonId ? this.lessons.get(m.lessonId) : undefined;
      if (!l || !(typeof m.value === "number" || /^[1-5]$/.test(m.value))) continue;
      const key = `${m.subjectId}|${l.date}`;
      marks.set(key, [...(marks.get(key) ?? []), String(m.value)]);
    }
    const rows = subjects.map((subjectId) => {
      const cells = days.map((d) => {
        const codes = lessons
          .filter((l) => l.subjectId === subjectId && l.date === d)
          .map((l) => ATTENDANCE_CODE[this.attendance.get(`${pupil.id}|${l.id}`) ?? "present"])
          .filter((c) => c !== "");
        return `<td>${[...(marks.get(`${subjectId}|${d}`) ?? []), ...codes].join(" ")}</td>`;
      });
      const totals = this.src.terms.map(
        (t) =>
          `<td class="cell-num-2">${this.periodMarks.get(`${pupil.id}|${subjectId}|${t.id}`) ?? ""}</td>`,
      );
      return `<tr><td>${esc(this.src.subjectName(subjectId))}</td>${cells.join("")}${totals.join("")}<td class="cell-num-2"></td></tr>`;
    });
    const header =
      `<span>Итоговые отметки</span><span>Ученик: ${esc(pupil.name)}</span><span>Период: </span>` +
      `<span>с ${ru(from)} по ${ru(to)}</span>`;
    return page("Отчет об успеваемости и посещаемости", header, head1 + head2 + rows.join(""));
  }
}

/** The queue hub: answers the handshake, runs `startTask`/`startTaskAsync`, pushes `complete`. */
export function startQueueHub(options: {
  path: () => string | null;
  validSession: (at: string) => boolean;
  faults: () => ReportFaults;
  /** Makes the task's file; returns its id (null: unknown task). */
  complete: (taskId: string) => string | null;
}): { upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean; close(): void } {
  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", (ws) => {
    let handshaken = false;
    ws.on("message", (data) => {
      for (const raw of decodeFrame(data.toString())) {
        const m = raw as { type?: number; target?: string; arguments?: unknown[]; invocationId?: string };
        if (!handshaken) {
          handshaken = true;
          ws.send(encodeMessages({}));
          continue;
        }
        if (m.type !== 1 || (m.target !== "startTask" && m.target !== "startTaskAsync")) continue;
        const taskId = String(m.arguments?.[0]);
        ws.send(encodeMessages({ type: 3, invocationId: m.invocationId ?? "0", result: null }));
        const push = () => {
          const fileId = options.complete(taskId);
          if (ws.readyState !== ws.OPEN) return;
          if (fileId === null)
            ws.send(
              encodeMessages({
                type: 1,
                target: "error",
                arguments: [{ taskId: Number(taskId), error: "Задача не найдена" }],
              }),
            );
          else
            ws.send(
              encodeMessages({
                type: 1,
                target: "complete",
                arguments: [{ taskId: Number(taskId), data: fileId, componentId: "report" }],
              }),
            );
        };
        const delay = options.faults().slowCompleteMs ?? 5;
        setTimeout(push, delay);
      }
    });
  });
  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname.replace(/^\/+/, "");
      if (path !== options.path()) return false;
      const at = url.searchParams.get("at") ?? "";
      if (options.faults().hubRefuses || !options.validSession(at)) {
        socket.end("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
      return true;
    },
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}
