// The NetSchool reports pipeline piece by piece: the HTML of StudentGrades and StudentTotal as the
// working clients read it (written here by hand in that shape, not by the simulator), the hub path and
// queue path by server version, the queue and the file through the client (nock), a 409 of the queue
// classified as a refused report (not a refused login), and the SignalR hub client against a real
// WebSocket server: handshake, `complete`, a refused upgrade, a handshake error, a timeout.
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { WebSocketServer } from "ws";
import { NetschoolClient } from "../../../src/connectors/netschool/client.ts";
import {
  parseRuDate,
  parseStudentGrades,
  parseStudentTotal,
} from "../../../src/connectors/netschool/report-html.ts";
import { awaitReportFile } from "../../../src/connectors/netschool/report-hub.ts";
import { runReport } from "../../../src/connectors/netschool/report-queue.ts";
import { attendanceOf, periodMarksOf } from "../../../src/connectors/netschool/report-records.ts";
import { hubRoute, queuePath } from "../../../src/connectors/netschool/server-version.ts";
import { decodeFrame, encodeMessages } from "../../../src/connectors/netschool/signalr-protocol.ts";
import { failure } from "../helpers/failure.ts";
import nock from "../helpers/nock.ts";

const GRADES = `<html><body><table><tr><td></td><td><span>Отчет</span><span>Период:</span>
<span>с 01.09.25 по 31.10.25</span></td></tr></table>
<table class="table-print">
<tr><th>Тип задания</th><th>Тема задания</th><th>Дата урока</th><th>Дата выставления</th><th>Оценка</th></tr>
<tr><td>Ответ на уроке</td><td>Дроби</td><td>08.09.25</td><td>08.09.25</td><td>5</td></tr>
<tr><td>Контрольная работа</td><td>Контрольная №1</td><td>15.09.2025</td><td>23.09.2025</td><td>3</td></tr>
<tr><td>Ответ на уроке</td><td></td><td>нет даты</td><td>16.09.25</td><td>4</td></tr>
<tr class="totals"><td colspan="2">Итого</td><td>Средняя оценка: 4,00</td><td></td><td></td></tr>
</table></body></html>`;

const TOTAL = `<html><body><table class="table-print">
<tr><th rowspan="2">Предмет</th><th colspan="2">Декабрь</th><th colspan="2">Январь</th>
<th rowspan="2">2 четверть Итог</th><th rowspan="2">3 четверть Итог</th><th rowspan="2">Средняя оценка</th></tr>
<tr><th>29</th><th>30</th><th>12</th><th>13</th></tr>
<tr><td>Алгебра</td><td>5 .</td><td>Б</td><td>НП УП</td><td></td>
<td class="cell-num-2">4</td><td class="cell-num-2"></td><td class="cell-num-2">4,5</td></tr>
<tr><td>Физика</td><td>ОП</td><td></td><td>ХЗ</td><td>3</td>
<td class="cell-num-2">н/а</td><td class="cell-num-2"></td><td class="cell-num-2"></td></tr>
</table></body></html>`;

describe("netschool reports: HTML", () => {
  it("reads Russian dates of two and four digit years, and refuses what is not a date", () => {
    expect(parseRuDate("08.09.25")).to.equal("2025-09-08");
    expect(parseRuDate("1.3.2026")).to.equal("2026-03-01");
    expect(parseRuDate("нет даты")).to.equal(null);
    expect(parseRuDate("32.01.2026")).to.equal(null);
  });

  it("StudentGrades: a row per mark with its lesson day and «Дата выставления»; a row without a lesson day is a problem", () => {
    const { rows, problems } = parseStudentGrades(GRADES);
    expect(rows.map(({ row: _r, ...x }) => x)).to.deep.equal([
      { type: "Ответ на уроке", topic: "Дроби", lessonDate: "2025-09-08", setDate: "2025-09-08", mark: "5" },
      {
        type: "Контрольная работа",
        topic: "Контрольная №1",
        lessonDate: "2025-09-15",
        setDate: "2025-09-23",
        mark: "3",
      },
    ]);
    expect(problems).to.have.length(1);
    expect(problems[0].reason).to.match(/lesson date/);
  });

  it("StudentTotal: days across the new year, marks, duty dots, absence codes and the term totals", () => {
    const subjects = parseStudentTotal(TOTAL, 2025);
    expect(subjects.map((s) => s.name)).to.deep.equal(["Алгебра", "Физика"]);
    const algebra = subjects[0];
    expect(algebra.days).to.deep.equal([
      { date: "2025-12-29", marks: [5], duty: 1, codes: [] },
      { date: "2025-12-30", marks: [], duty: 0, codes: ["Б"] },
      { date: "2026-01-12", marks: [], duty: 0, codes: ["НП", "УП"] },
    ]);
    expect(algebra.totals).to.deep.equal([
      { heading: "2 четверть Итог", value: "4" },
      { heading: "3 четверть Итог", value: "" },
      { heading: "Средняя оценка", value: "4,5" },
    ]);
  });

  it("a page without the report table is an error, not an empty report", () => {
    expect(() => parseStudentTotal("<html><title>Технические работы</title></html>", 2025)).to.throw(
      /table-print/,
    );
  });

  it("codes go to the subject's lessons of the day in order; an unknown code or one without a lesson is rejected", () => {
    const subjects = parseStudentTotal(TOTAL, 2025);
    const lessons = [
      { id: "L2", number: 5, date: "2026-01-12", subject: "Алгебра" },
      { id: "L1", number: 2, date: "2026-01-12", subject: "Алгебра" },
      { id: "L3", number: 1, date: "2025-12-30", subject: "Алгебра" },
      { id: "F1", number: 3, date: "2026-01-12", subject: "Физика" },
    ];
    const lessonsOf = (subject: string, date: string) =>
      lessons
        .filter((l) => l.subject === subject && l.date === date)
        .map((l) => ({
          id: l.id,
          classId: "c",
          subjectId: "s",
          teacherId: "t",
          date: l.date,
          number: l.number,
          start: "09:00",
          end: "09:45",
        }));
    const { records, rejected } = attendanceOf(subjects, "p1", lessonsOf, "files/1");
    expect(records).to.deep.equal([
      { studentId: "p1", lessonId: "L3", status: "ill" },
      { studentId: "p1", lessonId: "L1", status: "absent" },
      { studentId: "p1", lessonId: "L2", status: "excused" },
    ]);
    expect(rejected.map((r) => r.reason)).to.deep.equal([
      "no lesson of the subject that day",
      "unknown attendance code «ХЗ»",
    ]);
  });

  it("period marks come from the «Итог» columns of the terms the TERMID filter names; averages are not marks", () => {
    const subjects = parseStudentTotal(TOTAL, 2025);
    const terms = [
      { id: "T2", title: "2 четверть" },
      { id: "T3", title: "3 четверть" },
    ];
    const { records, rejected } = periodMarksOf(subjects, "p1", (n) => `subj-${n}`, terms, "files/1");
    expect(records).to.deep.equal([
      { studentId: "p1", subjectId: "subj-Алгебра", periodId: "T2", value: "4" },
      { studentId: "p1", subjectId: "subj-Физика", periodId: "T2", value: "н/а" },
    ]);
    expect(rejected).to.deep.equal([]);
  });
});

describe("netschool reports: server versions", () => {
  it("picks the hub by version: classic before 5.29, queueHub from 5.29, signalr/queueHub from 5.32", () => {
    expect(hubRoute("5.28.1").kind).to.equal("legacy");
    expect(hubRoute(undefined).kind).to.equal("legacy");
    expect(hubRoute("5.29.0")).to.deep.equal({ kind: "hub", path: "webapi/queueHub" });
    expect(hubRoute("5.31.9")).to.deep.equal({ kind: "hub", path: "webapi/queueHub" });
    expect(hubRoute("5.32")).to.deep.equal({ kind: "hub", path: "webapi/signalr/queueHub" });
    expect(hubRoute("5.43.62541")).to.deep.equal({ kind: "hub", path: "webapi/signalr/queueHub" });
  });

  it("queues StudentTotal under v2/ from 5.24, StudentGrades never", () => {
    expect(queuePath("studenttotal", "5.23.9")).to.equal("reports/studenttotal/queue");
    expect(queuePath("studenttotal", "5.24")).to.equal("v2/reports/studenttotal/queue");
    expect(queuePath("studentgrades", "5.43")).to.equal("reports/studentgrades/queue");
  });
});

/** A queue hub on a real WebSocket: `behave` decides what it does after the handshake. */
async function hubServer(behave: "complete" | "silent" | "handshake-error") {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const seen: { url: string; at?: string; invocations: unknown[] } = { url: "", invocations: [] };
  wss.on("connection", (ws, req) => {
    seen.url = req.url ?? "";
    seen.at = req.headers.at as string | undefined;
    let handshaken = false;
    ws.on("message", (data) => {
      for (const m of decodeFrame(data.toString()) as { target?: string; arguments?: unknown[] }[]) {
        if (!handshaken) {
          handshaken = true;
          ws.send(encodeMessages(behave === "handshake-error" ? { error: "Protocol not supported" } : {}));
          continue;
        }
        seen.invocations.push(m);
        if (behave !== "complete") continue;
        const taskId = m.arguments?.[0];
        // Another task's event first: it must be ignored.
        ws.send(
          encodeMessages(
            { type: 1, target: "progress", arguments: [{ taskId, status: "В очереди" }] },
            { type: 1, target: "complete", arguments: [{ taskId: 1, data: "other" }] },
          ),
        );
        ws.send(
          encodeMessages({
            type: 1,
            target: "complete",
            arguments: [{ taskId, data: "F-77", componentId: "x" }],
          }),
        );
      }
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return { wss, seen, url: `ws://127.0.0.1:${port}/webapi/signalr/queueHub?at=AT1` };
}

describe("netschool reports: the queue hub over a WebSocket", function () {
  this.timeout(20_000);

  it("handshakes, starts the task with its queue key and resolves with the file id of its `complete`", async () => {
    const hub = await hubServer("complete");
    try {
      const id = await awaitReportFile({
        url: hub.url,
        headers: { at: "AT1" },
        taskId: "4242",
        queueKey: "qk",
        timeoutMs: 5000,
      });
      expect(id).to.equal("F-77");
      expect(hub.seen.at).to.equal("AT1");
      expect(hub.seen.invocations).to.deep.equal([
        { type: 1, target: "startTaskAsync", arguments: [4242, "qk"], invocationId: "0" },
      ]);
    } finally {
      hub.wss.close();
    }
  });

  it('without a queue key starts it as startTask(taskId, "report-v2")', async () => {
    const hub = await hubServer("complete");
    try {
      await awaitReportFile({ url: hub.url, headers: {}, taskId: "7", timeoutMs: 5000 });
      expect(hub.seen.invocations).to.deep.equal([
        { type: 1, target: "startTask", arguments: [7, "report-v2"], invocationId: "0" },
      ]);
    } finally {
      hub.wss.close();
    }
  });

  it("a handshake error, a silent hub (timeout) and a refused upgrade are typed platform failures", async () => {
    const refused = await hubServer("handshake-error");
    const silent = await hubServer("silent");
    try {
      const e1 = await failure(
        awaitReportFile({ url: refused.url, headers: {}, taskId: "1", timeoutMs: 5000 }),
      );
      expect(e1.kind).to.equal("platform-down");
      expect(e1.platformType).to.equal("report-hub-refused");
      const e2 = await failure(
        awaitReportFile({ url: silent.url, headers: {}, taskId: "1", timeoutMs: 300 }),
      );
      expect(e2.platformType).to.equal("report-timeout");
    } finally {
      refused.wss.close();
      silent.wss.close();
    }
    const { createServer } = await import("node:http");
    const server = createServer((_q, s) => s.writeHead(500).end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    server.on("upgrade", (_req, socket) =>
      socket.end("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"),
    );
    try {
      const port = (server.address() as AddressInfo).port;
      const e3 = await failure(
        awaitReportFile({
          url: `ws://127.0.0.1:${port}/webapi/queueHub`,
          headers: {},
          taskId: "1",
          timeoutMs: 5000,
        }),
      );
      expect(e3.platformType).to.equal("report-hub-refused");
      expect(e3.detail).to.include("HTTP 500");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("netschool reports: queue and file through the client (nock)", () => {
  const HOST = "https://sgo.example.ru";
  afterEach(() => nock.cleanAll());

  function client() {
    const c = new NetschoolClient({
      baseUrl: HOST,
      login: "u",
      password: "p",
      schoolId: "1",
      requestsPerSecond: 1000,
      retry: { retries: 0 },
    });
    // A session as after login (the login flow itself: client.test.ts).
    (c as unknown as { at: string }).at = "AT1";
    return c;
  }

  it("a 409 of the queue is a refused report, not a refused login", async () => {
    nock(HOST).post("/webapi/v2/reports/studenttotal/queue").reply(409, { message: "Conflict" });
    const e = await failure(
      runReport(
        {
          client: client(),
          version: "5.32.1",
          yearId: "1",
          schoolName: "Ш",
          dateFormat: "dd.mm.yyyy",
          hubTimeoutMs: 1000,
        },
        "studenttotal",
        [{ filterId: "SID", filterValue: "5" }],
      ),
    );
    expect(e.kind).to.equal("invalid-request");
    expect(e.platformType).to.equal("report-queue-refused");
  });

  it("posts the selected filters and the school's params to the queue, and reads the file as HTML", async () => {
    let sent: unknown;
    nock(HOST)
      .post("/webapi/reports/studentgrades/queue")
      .reply(async (req: Request) => {
        sent = await req.json();
        return [200, { taskId: 31, queueKey: "k31" }];
      });
    nock(HOST).get("/webapi/files/F-9").reply(200, GRADES, { "Content-Type": "text/html; charset=utf-8" });
    const c = client();
    const q = await c.queueReport("reports/studentgrades/queue", {
      selectedData: [{ filterId: "SID", filterValue: "5" }],
    });
    expect(q.body).to.deep.equal({ taskId: 31, queueKey: "k31" });
    expect(sent).to.deep.equal({ selectedData: [{ filterId: "SID", filterValue: "5" }] });
    const f = await c.file("F-9");
    expect(parseStudentGrades(String(f.body)).rows).to.have.length(2);
    expect(c.hubAccess("webapi/signalr/queueHub").url).to.equal(
      "wss://sgo.example.ru/webapi/signalr/queueHub?at=AT1",
    );
  });

  it("a server before 5.29 (classic SignalR) is refused before anything is queued", async () => {
    const e = await failure(
      runReport(
        {
          client: client(),
          version: "5.20",
          yearId: "1",
          schoolName: "Ш",
          dateFormat: "dd.mm.yyyy",
          hubTimeoutMs: 1000,
        },
        "studentgrades",
        [],
      ),
    );
    expect(e.platformType).to.equal("report-legacy-hub");
    expect(nock.pendingMocks()).to.deep.equal([]);
  });
});
