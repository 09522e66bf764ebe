// Digests rather than a message per finding: one message per person per school day listing what is
// still open (grouped by rule, oldest first), and a weekly summary for the deputy (counts by rule and
// by teacher, new and resolved this week). Pure functions: the outbox decides when and how to send.
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { dateSchema, idSchema } from "../model/records.ts";
import type { OutgoingMessage, Recipient } from "./channels/types.ts";
import { digestText, greeting, PASSED_TO, shortName, weeklyText } from "./messages.ru.ts";
import {
  type OpenFinding,
  openFindingSchema,
  type ResolvedFinding,
  resolvedFindingSchema,
  type StaffMember,
} from "./open-finding.ts";

export interface Digest {
  message: OutgoingMessage;
  /** The violations this message told about, for the outbox to mark as notified. */
  violationIds: string[];
}

export interface DailyDigestInput {
  schoolId: string;
  /** The school-local day the digest is for, `YYYY-MM-DD`. */
  date: string;
  /** IANA zone in which deadlines are shown. */
  timezone: string;
  findings: readonly OpenFinding[];
  /** Who hears about a finding, e.g. `(f) => recipientsFor(f.level, peopleOf(f))`. */
  recipientsOf(finding: OpenFinding): readonly string[];
  /** Names and contacts of staff by person id. */
  staff: ReadonlyMap<string, StaffMember>;
  /** The console's page of a finding (escalation `consoleUrl`): each item links to it. */
  findingUrl?: (violationId: string) => string;
}

export interface WeeklySummaryInput {
  schoolId: string;
  /** First and last school-local day of the week, inclusive. */
  weekStart: string;
  weekEnd: string;
  timezone: string;
  /** Everything open at the end of the week. */
  open: readonly OpenFinding[];
  /** Findings resolved (or waived); those resolved outside the week are ignored. */
  resolved: readonly ResolvedFinding[];
  deputyIds: readonly string[];
  staff: ReadonlyMap<string, StaffMember>;
}

const inputBaseSchema = z.object({
  schoolId: idSchema,
  timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), "unknown IANA time zone"),
});

/** One digest per person who has anything open, in order of person id. */
export function buildDailyDigests(input: DailyDigestInput): Digest[] {
  inputBaseSchema.parse(input);
  const date = dateSchema.parse(input.date);
  const findings = z.array(openFindingSchema).parse(input.findings);
  const perPerson = new Map<string, OpenFinding[]>();
  for (const finding of findings) {
    for (const personId of new Set(input.recipientsOf(finding))) {
      const list = perPerson.get(personId) ?? [];
      list.push(finding);
      perPerson.set(personId, list);
    }
  }
  return [...perPerson.keys()].sort().map((personId) => {
    const own = perPerson.get(personId)!.filter((f) => f.responsibleId === personId);
    const others = perPerson.get(personId)!.filter((f) => f.responsibleId !== personId);
    const person = input.staff.get(personId);
    const shownDate = showDate(date);
    const blocks: Block[] = [{ kind: "paragraph", text: greeting(person?.name) }];
    blocks.push({
      kind: "paragraph",
      text: own.length > 0 ? digestText.intro(shownDate) : digestText.oversightIntro(shownDate),
    });
    if (own.length > 0) {
      blocks.push({ kind: "heading", text: digestText.ownHeading(own.length) });
      blocks.push(...ruleGroups(own, (f) => ownItem(f, input.timezone), input.findingUrl));
    }
    if (others.length > 0) {
      blocks.push({ kind: "heading", text: digestText.othersHeading(others.length) });
      blocks.push(...ruleGroups(others, (f) => otherItem(f, input.timezone, input.staff), input.findingUrl));
    }
    if (own.length > 0) blocks.push({ kind: "paragraph", text: digestText.ladderNote });
    blocks.push({ kind: "paragraph", text: digestText.autoClose });
    blocks.push({ kind: "paragraph", text: digestText.signature });
    const all = [...own, ...others];
    return {
      message: {
        id: `digest:${input.schoolId}:${personId}:${date}`,
        recipient: contactsOf(personId, person),
        subject: digestText.subject(all.length, shownDate),
        text: renderText(blocks),
        html: renderHtml(blocks),
        meta: { schoolId: input.schoolId, kind: "digest" },
      },
      violationIds: all.map((f) => f.violationId).sort(),
    };
  });
}

/** One summary per deputy (the same content each), counting by rule and by responsible teacher. */
export function buildWeeklySummaries(input: WeeklySummaryInput): Digest[] {
  inputBaseSchema.parse(input);
  const weekStart = dateSchema.parse(input.weekStart);
  const weekEnd = dateSchema.parse(input.weekEnd);
  if (weekEnd < weekStart) throw new RangeError("weekEnd is before weekStart");
  const open = z.array(openFindingSchema).parse(input.open);
  const resolved = z.array(resolvedFindingSchema).parse(input.resolved);
  const inWeek = (instant: string) => {
    const day = DateTime.fromISO(instant, { zone: input.timezone }).toISODate()!;
    return day >= weekStart && day <= weekEnd;
  };
  const resolvedThisWeek = resolved.filter((f) => inWeek(f.resolvedAt));
  const newThisWeek = [...open, ...resolvedThisWeek].filter((f) => inWeek(f.detectedAt));

  const byRule = tally(
    open,
    newThisWeek,
    resolvedThisWeek,
    (f) => f.ruleId,
    (f) => weeklyText.ruleLabel(f.ruleTitle, f.clause),
  );
  const byTeacher = tally(
    open,
    newThisWeek,
    resolvedThisWeek,
    (f) => f.responsibleId,
    (f) => shortName(input.staff.get(f.responsibleId)?.name),
  );
  const from = showDate(weekStart);
  const to = showDate(weekEnd);
  const summaryBlocks = (name: string | undefined): Block[] => {
    const blocks: Block[] = [
      { kind: "paragraph", text: greeting(name) },
      { kind: "paragraph", text: weeklyText.intro(from, to) },
    ];
    if (open.length === 0 && newThisWeek.length === 0 && resolvedThisWeek.length === 0) {
      blocks.push({ kind: "paragraph", text: weeklyText.nothing });
    } else {
      blocks.push({
        kind: "paragraph",
        text: weeklyText.totals(open.length, newThisWeek.length, resolvedThisWeek.length),
      });
      blocks.push({ kind: "heading", text: weeklyText.byRuleHeading });
      blocks.push({
        kind: "list",
        items: byRule.map((r) => weeklyText.row(r.label, r.open, r.added, r.resolved)),
      });
      blocks.push({ kind: "heading", text: weeklyText.byTeacherHeading });
      blocks.push({
        kind: "list",
        items: byTeacher.map((r) => weeklyText.row(r.label, r.open, r.added, r.resolved)),
      });
    }
    blocks.push({ kind: "paragraph", text: weeklyText.signature });
    return blocks;
  };
  return [...new Set(input.deputyIds)].sort().map((personId) => {
    const person = input.staff.get(personId);
    const blocks = summaryBlocks(person?.name);
    return {
      message: {
        id: `weekly-summary:${input.schoolId}:${personId}:${weekStart}`,
        recipient: contactsOf(personId, person),
        subject: weeklyText.subject(from, to),
        text: renderText(blocks),
        html: renderHtml(blocks),
        meta: { schoolId: input.schoolId, kind: "weekly-summary" },
      },
      violationIds: [...new Set([...open, ...resolvedThisWeek].map((f) => f.violationId))].sort(),
    };
  });
}

// --- grouping -------------------------------------------------------------------------------------

/** Oldest deadline first; ties by detection, then by id so the order never wobbles between runs. */
function byAge(a: OpenFinding, b: OpenFinding): number {
  return (
    Date.parse(a.deadline) - Date.parse(b.deadline) ||
    Date.parse(a.detectedAt) - Date.parse(b.detectedAt) ||
    (a.violationId < b.violationId ? -1 : a.violationId > b.violationId ? 1 : 0)
  );
}

/** A heading and a numbered list per rule; the rule with the oldest finding comes first. */
function ruleGroups(
  findings: OpenFinding[],
  item: (f: OpenFinding) => string,
  url?: (violationId: string) => string,
): Block[] {
  const groups = new Map<string, OpenFinding[]>();
  for (const f of [...findings].sort(byAge)) {
    const list = groups.get(f.ruleId) ?? [];
    list.push(f);
    groups.set(f.ruleId, list);
  }
  return [...groups.values()].flatMap((list): Block[] => [
    { kind: "heading", text: digestText.ruleHeading(list[0].ruleTitle, list[0].clause, list.length) },
    { kind: "list", items: list.map(item), links: url ? list.map((f) => url(f.violationId)) : undefined },
  ]);
}

function ownItem(f: OpenFinding, timezone: string): string {
  const passed = PASSED_TO[f.level];
  const tail = passed === undefined ? "" : `; ${digestText.passedTo(passed)}`;
  return `${f.entity} — ${digestText.deadline(showInstant(f.deadline, timezone))}${tail}`;
}

function otherItem(f: OpenFinding, timezone: string, staff: ReadonlyMap<string, StaffMember>): string {
  const who = shortName(staff.get(f.responsibleId)?.name);
  return `${who}: ${f.entity} — ${digestText.deadline(showInstant(f.deadline, timezone))}`;
}

interface TallyRow {
  label: string;
  open: number;
  added: number;
  resolved: number;
}

function tally(
  open: OpenFinding[],
  added: OpenFinding[],
  resolved: OpenFinding[],
  keyOf: (f: OpenFinding) => string,
  labelOf: (f: OpenFinding) => string,
): TallyRow[] {
  const rows = new Map<string, TallyRow>();
  const row = (f: OpenFinding) => {
    const key = keyOf(f);
    let r = rows.get(key);
    if (r === undefined) {
      r = { label: labelOf(f), open: 0, added: 0, resolved: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const f of open) row(f).open++;
  for (const f of added) row(f).added++;
  for (const f of resolved) row(f).resolved++;
  return [...rows.values()].sort(
    (a, b) => b.open - a.open || b.added - a.added || a.label.localeCompare(b.label, "ru"),
  );
}

function contactsOf(personId: string, person: StaffMember | undefined): Recipient {
  if (person === undefined) return { personId };
  const { name: _name, ...contacts } = person;
  return { ...contacts, personId };
}

// --- rendering ------------------------------------------------------------------------------------

type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "list"; items: string[]; links?: string[] };

function showDate(date: string): string {
  return DateTime.fromISO(date).toFormat("dd.MM.yyyy");
}

function showInstant(instant: string, timezone: string): string {
  return DateTime.fromISO(instant, { zone: timezone }).toFormat("dd.MM.yyyy HH:mm");
}

/** Blocks apart by a blank line, except that a heading sits right above its list. */
function renderText(blocks: Block[]): string {
  let out = "";
  blocks.forEach((block, i) => {
    const text =
      block.kind === "list"
        ? block.items
            .map((item, n) => `  ${n + 1}. ${item}${block.links ? `\n     ${block.links[n]}` : ""}`)
            .join("\n")
        : block.text;
    if (i > 0) out += block.kind === "list" && blocks[i - 1].kind === "heading" ? "\n" : "\n\n";
    out += text;
  });
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function renderHtml(blocks: Block[]): string {
  const body = blocks
    .map((block) => {
      if (block.kind === "paragraph") return `<p>${escapeHtml(block.text)}</p>`;
      if (block.kind === "heading") return `<p><b>${escapeHtml(block.text)}</b></p>`;
      const link = (n: number) =>
        block.links ? ` <a href="${escapeHtml(block.links[n])}">${digestText.openInConsole}</a>` : "";
      return `<ol>${block.items.map((item, n) => `<li>${escapeHtml(item)}${link(n)}</li>`).join("")}</ol>`;
    })
    .join("\n");
  return `<!doctype html>\n<html lang="ru"><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>`;
}
