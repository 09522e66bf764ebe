import { expect } from "chai";
import { outgoingMessageSchema } from "../../src/escalation/channels/types.ts";
import {
  buildDailyDigests,
  buildWeeklySummaries,
  type DailyDigestInput,
} from "../../src/escalation/digest.ts";
import { recipientsFor } from "../../src/escalation/ladder.ts";
import { plural } from "../../src/escalation/messages.ru.ts";
import type { OpenFinding, ResolvedFinding, StaffMember } from "../../src/escalation/open-finding.ts";

const TOPIC = {
  ruleId: "lesson.topic.late",
  ruleTitle: "Тема урока не записана в день урока",
  clause: "001 §3.5",
};
const WRITTEN = {
  ruleId: "mark.written.late",
  ruleTitle: "Оценки за письменную работу выставлены позже срока",
  clause: "001 §3.5",
};

/** A finding builder: only what a case cares about is spelled out. */
function finding(
  violationId: string,
  rule: typeof TOPIC,
  responsibleId: string,
  deadline: string,
  extra: Partial<OpenFinding> = {},
): OpenFinding {
  return {
    violationId,
    ...rule,
    entity: `7 «А», алгебра, урок ${deadline.slice(8, 10)}.${deadline.slice(5, 7)}.${deadline.slice(0, 4)}`,
    deadline,
    detectedAt: deadline.replace(/T.*/, "T20:00:00Z"),
    responsibleId,
    level: 0,
    ...extra,
  };
}

const staff = new Map<string, StaffMember>([
  ["t1", { personId: "t1", name: "Иванова Ирина Петровна", email: "ivanova@school.example" }],
  ["t2", { personId: "t2", name: "Петров Пётр Сергеевич", telegramChatId: "1001" }],
  ["ct", { personId: "ct", name: "Смирнова Анна Олеговна", email: "smirnova@school.example" }],
  ["d1", { personId: "d1", name: "Кузнецова Мария Ивановна", email: "uvr@school.example" }],
]);

function input(findings: OpenFinding[], overrides: Partial<DailyDigestInput> = {}): DailyDigestInput {
  return {
    schoolId: "school-5",
    date: "2026-11-25",
    timezone: "Europe/Moscow",
    findings,
    staff,
    recipientsOf: (f) =>
      recipientsFor(f.level, {
        teacherId: f.responsibleId,
        classTeacherId: "ct",
        deputyIds: ["d1"],
        directorIds: [],
      }),
    ...overrides,
  };
}

describe("escalation/digest", () => {
  describe("buildDailyDigests", () => {
    const findings = [
      finding("v-3", WRITTEN, "t1", "2026-11-23T12:00:00Z"),
      finding("v-2", TOPIC, "t1", "2026-11-20T12:00:00Z", { level: 1 }),
      finding("v-1", TOPIC, "t1", "2026-11-18T12:00:00Z"),
      finding("v-4", TOPIC, "t2", "2026-11-17T12:00:00Z", { level: 2 }),
    ];

    it("sends one message per person, only to people with something open", () => {
      const digests = buildDailyDigests(input(findings));
      expect(digests.map((d) => d.message.recipient.personId)).to.deep.equal(["ct", "d1", "t1", "t2"]);
      expect(digests.map((d) => d.violationIds)).to.deep.equal([
        ["v-2", "v-4"],
        ["v-4"],
        ["v-1", "v-2", "v-3"],
        ["v-4"],
      ]);
      expect(buildDailyDigests(input([]))).to.deep.equal([]);
      // Every digest is a message any channel accepts.
      for (const d of digests) expect(outgoingMessageSchema.parse(d.message)).to.deep.equal(d.message);
    });

    it("links each finding to its page in the console when the console's address is known", () => {
      const url = (id: string) => `https://reglament.school.example/findings/${id}`;
      const t1 = buildDailyDigests(input(findings, { findingUrl: url })).find(
        (d) => d.message.recipient.personId === "t1",
      )!.message;
      for (const id of ["v-1", "v-2", "v-3"]) {
        expect(t1.text).to.include(`\n     ${url(id)}`);
        expect(t1.html).to.include(`<a href="${url(id)}">Открыть в консоли</a>`);
      }
      expect(t1.text).to.not.include("v-4");
      // Without an address, no link and no dangling line.
      const plain = buildDailyDigests(input(findings)).find((d) => d.message.recipient.personId === "t1")!;
      expect(plain.message.text).to.not.include("http");
      expect(plain.message.html).to.not.include("<a ");
    });

    it("words a teacher's own digest: grouped by rule, counts, oldest first, clause and local deadline", () => {
      const t1 = buildDailyDigests(input(findings)).find(
        (d) => d.message.recipient.personId === "t1",
      )!.message;
      expect(t1.subject).to.equal("Электронный журнал: 3 замечания на 25.11.2026");
      expect(t1.text).to.equal(
        [
          "Здравствуйте, Ирина Петровна!",
          "",
          "На 25.11.2026 в электронном журнале есть записи, не внесённые в срок, установленный Положением " +
            "о ведении электронного журнала. Просим внести их в ближайшее время.",
          "",
          "Ваши записи — 3 замечания:",
          "",
          "Тема урока не записана в день урока (п. 3.5 Положения) — 2:",
          "  1. 7 «А», алгебра, урок 18.11.2026 — срок: 18.11.2026 15:00",
          "  2. 7 «А», алгебра, урок 20.11.2026 — срок: 20.11.2026 15:00; сведения переданы классному руководителю",
          "",
          "Оценки за письменную работу выставлены позже срока (п. 3.5 Положения) — 1:",
          "  1. 7 «А», алгебра, урок 23.11.2026 — срок: 23.11.2026 15:00",
          "",
          "Замечания, не устранённые в срок, передаются классному руководителю, затем заместителю директора " +
            "по УВР (п. 3.4 Положения).",
          "",
          "Замечание снимается автоматически, как только запись появится в электронном журнале.",
          "",
          "Сообщение сформировано автоматически системой «Регламент». Отвечать на него не нужно.",
        ].join("\n"),
      );
      expect(t1).to.deep.include({
        id: "digest:school-5:t1:2026-11-25",
        recipient: { personId: "t1", email: "ivanova@school.example" },
        meta: { schoolId: "school-5", kind: "digest" },
      });
    });

    it("tells a class teacher about colleagues' entries for control, naming the teacher, not asking to fill", () => {
      const ct = buildDailyDigests(input(findings)).find(
        (d) => d.message.recipient.personId === "ct",
      )!.message;
      expect(ct.subject).to.equal("Электронный журнал: 2 замечания на 25.11.2026");
      expect(ct.text).to.contain("Сообщаем для контроля.");
      expect(ct.text).not.to.contain("Просим внести");
      expect(ct.text).not.to.contain("Ваши записи");
      expect(ct.text).to.contain(
        "Записи коллег, переданные вам для контроля, — 2 замечания:\n\n" +
          "Тема урока не записана в день урока (п. 3.5 Положения) — 2:\n" +
          "  1. Петров П. С.: 7 «А», алгебра, урок 17.11.2026 — срок: 17.11.2026 15:00\n" +
          "  2. Иванова И. П.: 7 «А», алгебра, урок 20.11.2026 — срок: 20.11.2026 15:00",
      );
    });

    it("a class teacher who also teaches gets both sections in one message", () => {
      const own = finding("v-9", TOPIC, "ct", "2026-11-24T12:00:00Z");
      const digests = buildDailyDigests(input([...findings, own]));
      const ct = digests.find((d) => d.message.recipient.personId === "ct")!.message;
      expect(ct.subject).to.equal("Электронный журнал: 3 замечания на 25.11.2026");
      expect(ct.text.indexOf("Ваши записи — 1 замечание:")).to.be.greaterThan(0);
      expect(ct.text.indexOf("Записи коллег")).to.be.greaterThan(ct.text.indexOf("Ваши записи"));
      expect(ct.text).to.contain("Просим внести их");
    });

    it("shows deadlines in the school's own zone", () => {
      const [d] = buildDailyDigests(
        input([finding("v-1", TOPIC, "t1", "2026-11-18T10:00:00Z")], { timezone: "Asia/Yekaterinburg" }),
      );
      expect(d.message.text).to.contain("срок: 18.11.2026 15:00");
    });

    it("escapes the HTML rendering and keeps the same words", () => {
      const tricky = finding(
        "v-1",
        { ...TOPIC, ruleTitle: "Тема <урока> & запись" },
        "t1",
        "2026-11-18T12:00:00Z",
      );
      const [d] = buildDailyDigests(input([tricky]));
      expect(d.message.html).to.contain("Тема &lt;урока&gt; &amp; запись (п. 3.5 Положения) — 1:");
      expect(d.message.html).to.contain("<li>7 «А», алгебра, урок 18.11.2026 — срок: 18.11.2026 15:00</li>");
      expect(d.message.html).not.to.contain("<урока>");
    });

    it("an unknown person still gets a polite message addressed by id only", () => {
      const [d] = buildDailyDigests(input([finding("v-1", TOPIC, "t-x", "2026-11-18T12:00:00Z")]));
      expect(d.message.recipient).to.deep.equal({ personId: "t-x" });
      expect(d.message.text.startsWith("Здравствуйте!\n")).to.equal(true);
    });

    it("is deterministic whatever the input order", () => {
      const a = buildDailyDigests(input(findings));
      const b = buildDailyDigests(input([...findings].reverse()));
      expect(b).to.deep.equal(a);
    });

    it("refuses a finding without a valid deadline", () => {
      const bad = { ...finding("v-1", TOPIC, "t1", "2026-11-18T12:00:00Z"), deadline: "18.11.2026" };
      expect(() => buildDailyDigests(input([bad]))).to.throw(/ISO 8601/);
    });
  });

  describe("buildWeeklySummaries", () => {
    const open = [
      finding("v-1", TOPIC, "t1", "2026-11-10T12:00:00Z"), // older than the week
      finding("v-2", TOPIC, "t1", "2026-11-23T12:00:00Z"),
      finding("v-3", WRITTEN, "t2", "2026-11-24T12:00:00Z"),
      // Detected 23 Nov 01:30 in Moscow though 22 Nov in UTC: in the week.
      finding("v-4", TOPIC, "t2", "2026-11-22T12:00:00Z", { detectedAt: "2026-11-22T22:30:00Z" }),
    ];
    const resolved: ResolvedFinding[] = [
      { ...finding("v-5", WRITTEN, "t1", "2026-11-16T12:00:00Z"), resolvedAt: "2026-11-24T08:00:00Z" },
      { ...finding("v-6", TOPIC, "t2", "2026-11-12T12:00:00Z"), resolvedAt: "2026-11-19T08:00:00Z" }, // before
    ];
    const build = (deputyIds = ["d1"]) =>
      buildWeeklySummaries({
        schoolId: "school-5",
        weekStart: "2026-11-23",
        weekEnd: "2026-11-29",
        timezone: "Europe/Moscow",
        open,
        resolved,
        deputyIds,
        staff,
      });

    it("counts by rule and by teacher: open, new this week, resolved this week", () => {
      const [summary] = build();
      expect(summary.message.subject).to.equal("Электронный журнал: сводка за неделю 23.11.2026–29.11.2026");
      expect(summary.message.text).to.contain(
        "Не устранено на конец недели: 4. Новых за неделю: 3. Устранено за неделю: 1.",
      );
      expect(summary.message.text).to.contain(
        "По видам замечаний:\n" +
          "  1. Тема урока не записана в день урока (п. 3.5 Положения): не устранено 3, новых 2, устранено 0\n" +
          "  2. Оценки за письменную работу выставлены позже срока (п. 3.5 Положения): не устранено 1, новых 1, устранено 1",
      );
      expect(summary.message.text).to.contain(
        "По учителям:\n" +
          "  1. Петров П. С.: не устранено 2, новых 2, устранено 0\n" +
          "  2. Иванова И. П.: не устранено 2, новых 1, устранено 1",
      );
      expect(summary.violationIds).to.deep.equal(["v-1", "v-2", "v-3", "v-4", "v-5"]);
    });

    it("goes to every deputy once, each with an own id, and says so when the week was clean", () => {
      const summaries = build(["d1", "d2", "d1"]);
      expect(summaries.map((s) => s.message.id)).to.deep.equal([
        "weekly-summary:school-5:d1:2026-11-23",
        "weekly-summary:school-5:d2:2026-11-23",
      ]);
      expect(summaries[0].message.meta.kind).to.equal("weekly-summary");
      const [clean] = buildWeeklySummaries({
        schoolId: "school-5",
        weekStart: "2026-11-23",
        weekEnd: "2026-11-29",
        timezone: "Europe/Moscow",
        open: [],
        resolved: [],
        deputyIds: ["d1"],
        staff,
      });
      expect(clean.message.text).to.contain("За неделю замечаний нет.");
      expect(clean.message.text).not.to.contain("По учителям");
    });
  });

  it("uses Russian plural forms", () => {
    const forms = [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].map((n) =>
      plural(n, "замечание", "замечания", "замечаний"),
    );
    expect(forms).to.deep.equal([
      "замечание",
      "замечания",
      "замечания",
      "замечаний",
      "замечаний",
      "замечаний",
      "замечаний",
      "замечание",
      "замечания",
      "замечаний",
      "замечание",
      "замечаний",
    ]);
  });
});
