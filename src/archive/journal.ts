/**
 * The archived journal of one class for one period as ONE PDF/A-1b (landscape A4, PT Sans): a title
 * page, then per subject the grid students × lesson dates with marks and absences (dates split over
 * several pages when many, the student names repeated on each), the lessons with topics and homework,
 * and a last page of totals. Built on the reports' PdfWriter; the dense grid is drawn with pdfkit here.
 */

import type { Column, Row } from "../reports/model.ts";
import { PDF_FONTS, PdfWriter } from "../reports/render-pdf.ts";
import type { JournalData, JournalSubject } from "./journal-data.ts";
import { journalMessages as msg } from "./journal-messages.ru.ts";
import { archiveFileName, DEFAULT_NAME_TEMPLATE } from "./naming.ts";

const GRID = {
  rowHeight: 12.5,
  headerHeight: 24,
  numberWidth: 18,
  dateWidth: 21,
  finalWidth: 28,
  minNameWidth: 110,
  maxNameWidth: 190,
  pad: 2.5,
  fontSize: 7.5,
  minFontSize: 4.6,
  nameSize: 8,
  border: "#9aa5b1",
  headerFill: "#e4e9f0",
  stripeFill: "#f5f7fa",
  weekendLine: "#52606d",
  text: "#1f2933",
} as const;

export interface JournalTotals {
  subject: string;
  lessons: number;
  marks: number;
  absences: number;
  periodMarks: number;
  /** Mean of numeric marks 1–5, or undefined when none. */
  average?: number;
}

export interface RenderedJournal {
  pdf: Buffer;
  pages: number;
  fileName: string;
  totals: JournalTotals[];
}

export interface RenderJournalOptions {
  /** Creation time written in the PDF metadata and on the title page; default now. */
  createdAt?: Date;
  nameTemplate?: string;
}

/** dd.mm.yyyy */
export function formatDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

function formatInstant(date: Date): string {
  return new Intl.DateTimeFormat("ru-RU", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Moscow",
    timeZoneName: "short",
  }).format(date);
}

/** Per-subject counts for the totals page (and for tests to compare with the store). */
export function journalTotals(data: JournalData): JournalTotals[] {
  const studentIds = new Set(data.students.map((s) => s.id));
  return data.subjects.map((subject) => {
    let marks = 0;
    let absences = 0;
    let sum = 0;
    let numeric = 0;
    for (const lesson of subject.lessons) {
      for (const [student, values] of data.marks.get(lesson.id) ?? []) {
        if (!studentIds.has(student)) continue;
        marks += values.length;
        for (const v of values) {
          if (/^[1-5]$/.test(v)) {
            sum += Number(v);
            numeric += 1;
          }
        }
      }
      for (const student of (data.absences.get(lesson.id) ?? new Map()).keys()) {
        if (studentIds.has(student)) absences += 1;
      }
    }
    const periodMarks = [...(data.periodMarks.get(subject.id) ?? new Map()).keys()].filter((s) =>
      studentIds.has(s),
    ).length;
    return {
      subject: subject.name,
      lessons: subject.lessons.length,
      marks,
      absences,
      periodMarks,
      average: numeric > 0 ? sum / numeric : undefined,
    };
  });
}

export function journalFileName(data: JournalData, template = DEFAULT_NAME_TEMPLATE): string {
  return archiveFileName({ year: data.year, period: data.period.label, class: data.classLabel }, template);
}

/** Renders the whole journal of the period. */
export async function renderJournal(
  data: JournalData,
  options: RenderJournalOptions = {},
): Promise<RenderedJournal> {
  const createdAt = options.createdAt ?? new Date();
  const periodText = `${data.period.title} ${data.year}`;
  const writer = new PdfWriter({
    orientation: "landscape",
    title: `${msg.title}: ${data.classLabel}, ${periodText}`,
    author: data.school.name,
    subject: msg.archiveCopy,
    keywords: ["journal", data.year, data.period.label, data.classLabel],
    creationDate: createdAt,
    footerText: msg.footer(data.classLabel, data.year, data.period.title),
  });
  const totals = journalTotals(data);

  titlePage(writer, data, createdAt);
  for (const subject of data.subjects) {
    writer.pageBreak();
    writer.heading(`${subject.name}`, 1);
    writer.paragraph(msg.teacher(subject.teachers), { size: 9.5, gap: 6 });
    grid(writer, data, subject);
    lessonList(writer, subject);
  }
  totalsPage(writer, totals);

  const pages = writer.doc.bufferedPageRange().count;
  const pdf = await writer.finish();
  return { pdf, pages, fileName: journalFileName(data, options.nameTemplate), totals };
}

function titlePage(writer: PdfWriter, data: JournalData, createdAt: Date): void {
  const doc = writer.doc;
  doc.y = doc.page.height * 0.2;
  writer.paragraph(msg.archiveCopy, { size: 11, align: "center", color: "#52606d", gap: 10 });
  writer.paragraph(msg.title.toUpperCase(), { size: 26, bold: true, align: "center", gap: 6 });
  writer.paragraph(`${data.classLabel} класс`, { size: 20, bold: true, align: "center", gap: 4 });
  writer.paragraph(periodTextOf(data), { size: 14, align: "center", gap: 28 });
  writer.keyValues(
    [
      { label: msg.school, value: data.school.name },
      { label: msg.klass, value: data.classLabel },
      { label: msg.year, value: data.year },
      {
        label: msg.period,
        value: `${data.period.title} (${msg.periodDates(formatDate(data.period.start), formatDate(data.period.end))})`,
      },
      { label: msg.classTeacher, value: data.classTeacher ?? msg.notAssigned },
      { label: msg.students, value: data.students.length },
      { label: msg.madeAt, value: formatInstant(createdAt) },
    ],
    { size: 11, gap: 8 },
  );
}

function periodTextOf(data: JournalData): string {
  return `${data.year} учебный год, ${data.period.title.toLowerCase()}`;
}

// ——— the grid ———

interface GridLayout {
  left: number;
  nameWidth: number;
  /** Lesson columns per page part. */
  perPart: number;
}

function layoutGrid(writer: PdfWriter, data: JournalData): GridLayout {
  const doc = writer.doc;
  const width = writer.contentWidth;
  const left = (doc.page.width - width) / 2;
  doc.font(PDF_FONTS.regular).fontSize(GRID.nameSize);
  const widest = Math.max(0, ...data.students.map((s) => doc.widthOfString(s.name)));
  const nameWidth = Math.min(GRID.maxNameWidth, Math.max(GRID.minNameWidth, widest + 2 * GRID.pad + 1));
  const room = width - GRID.numberWidth - nameWidth - GRID.finalWidth;
  return { left, nameWidth, perPart: Math.max(1, Math.floor(room / GRID.dateWidth)) };
}

/** Draws one line of text centred (or left-aligned) in a box, shrinking the font so it always fits. */
function cellText(
  writer: PdfWriter,
  text: string,
  box: { x: number; y: number; w: number; h: number },
  style: { size: number; bold?: boolean; align?: "left" | "center"; minSize?: number },
): void {
  if (text === "") return;
  const doc = writer.doc;
  const font = style.bold ? PDF_FONTS.bold : PDF_FONTS.regular;
  const room = box.w - 2 * GRID.pad;
  let size = style.size;
  doc.font(font).fontSize(size);
  let width = doc.widthOfString(text);
  const minSize = style.minSize ?? GRID.minFontSize;
  if (width > room) {
    size = Math.max(minSize, (size * room) / width);
    doc.fontSize(size);
    width = doc.widthOfString(text);
  }
  const lines = width > room ? splitToFit(writer, text, room) : [text];
  const lineHeight = size * 1.1;
  const top = box.y + (box.h - lines.length * lineHeight) / 2 + size * 0.05;
  const { x: cx, y: cy } = doc;
  doc.fillColor(GRID.text);
  lines.forEach((line, i) => {
    const w = doc.widthOfString(line);
    const x = style.align === "left" ? box.x + GRID.pad : box.x + (box.w - w) / 2;
    doc.text(line, x, top + i * lineHeight, { lineBreak: false });
  });
  doc.x = cx;
  doc.y = cy;
}

/** Splits a cell's words over as few lines as needed (marks are short: "5 4 3 н"). */
function splitToFit(writer: PdfWriter, text: string, room: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (line !== "" && writer.doc.widthOfString(candidate) > room) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  lines.push(line);
  return lines;
}

function cellOf(data: JournalData, lessonId: string, studentId: string): string {
  const marks = data.marks.get(lessonId)?.get(studentId) ?? [];
  const absence = data.absences.get(lessonId)?.get(studentId);
  return [...marks, ...(absence ? [absence] : [])].join(" ");
}

function grid(writer: PdfWriter, data: JournalData, subject: JournalSubject): void {
  const doc = writer.doc;
  if (data.students.length === 0) {
    writer.paragraph(msg.noStudents, { size: 9 });
    return;
  }
  const layout = layoutGrid(writer, data);
  const lessons = subject.lessons;
  const parts = Math.max(1, Math.ceil(lessons.length / layout.perPart));
  // balance the parts (36 lessons → 18 + 18, not 26 + 10)
  const perPart = Math.max(1, Math.ceil(lessons.length / parts));
  const finals = data.periodMarks.get(subject.id);
  for (let part = 0; part < parts; part++) {
    const slice = lessons.slice(part * perPart, (part + 1) * perPart);
    const last = part === parts - 1;
    const columns: {
      title: string[];
      width: number;
      value: (studentId: string) => string;
      bold?: boolean;
    }[] = [
      ...slice.map((lesson) => ({
        title: [lesson.date.slice(8, 10), lesson.date.slice(5, 7)],
        width: GRID.dateWidth,
        value: (studentId: string) => cellOf(data, lesson.id, studentId),
      })),
      ...(last
        ? [
            {
              title: [msg.periodMarkColumn],
              width: GRID.finalWidth,
              value: (studentId: string) => finals?.get(studentId) ?? "",
              bold: true,
            },
          ]
        : []),
    ];
    const caption = msg.gridCaption(part + 1, parts);
    writer.keepTogether(
      11 * 1.3 + GRID.headerHeight + GRID.rowHeight * Math.min(5, data.students.length) + 8,
    );
    writer.paragraph(caption, { bold: true, size: 9.5, gap: 3 });
    const drawHeader = () => {
      const top = doc.y;
      let x = layout.left;
      const cells: [string[], number][] = [
        [[msg.numberColumn], GRID.numberWidth],
        [[msg.studentColumn], layout.nameWidth],
        ...columns.map((c): [string[], number] => [c.title, c.width]),
      ];
      const total = cells.reduce((a, [, w]) => a + w, 0);
      doc.rect(layout.left, top, total, GRID.headerHeight).fillColor(GRID.headerFill).fill();
      for (const [title, width] of cells) {
        const h = GRID.headerHeight / title.length;
        title.forEach((line, i) => {
          cellText(writer, line, { x, y: top + i * h, w: width, h }, { size: GRID.fontSize, bold: true });
        });
        x += width;
      }
      strokeRow(
        writer,
        layout.left,
        top,
        GRID.headerHeight,
        cells.map(([, w]) => w),
      );
      doc.y = top + GRID.headerHeight;
    };
    drawHeader();
    data.students.forEach((student, index) => {
      if (writer.spaceLeft < GRID.rowHeight) {
        writer.pageBreak();
        writer.paragraph(`${subject.name}. ${caption}`, { bold: true, size: 9.5, gap: 3 });
        drawHeader();
      }
      const top = doc.y;
      const widths = [GRID.numberWidth, layout.nameWidth, ...columns.map((c) => c.width)];
      const total = widths.reduce((a, b) => a + b, 0);
      if (index % 2 === 1)
        doc.rect(layout.left, top, total, GRID.rowHeight).fillColor(GRID.stripeFill).fill();
      let x = layout.left;
      cellText(
        writer,
        String(index + 1),
        { x, y: top, w: GRID.numberWidth, h: GRID.rowHeight },
        { size: GRID.fontSize },
      );
      x += GRID.numberWidth;
      cellText(
        writer,
        student.name,
        { x, y: top, w: layout.nameWidth, h: GRID.rowHeight },
        { size: GRID.nameSize, align: "left", minSize: 5.5 },
      );
      x += layout.nameWidth;
      for (const column of columns) {
        cellText(
          writer,
          column.value(student.id),
          { x, y: top, w: column.width, h: GRID.rowHeight },
          { size: GRID.fontSize, bold: column.bold },
        );
        x += column.width;
      }
      strokeRow(writer, layout.left, top, GRID.rowHeight, widths);
      doc.y = top + GRID.rowHeight;
    });
    doc.y += 4;
    if (last) writer.paragraph(msg.legend, { size: 7.5, color: "#52606d", gap: 8 });
    else doc.y += 6;
  }
}

function strokeRow(
  writer: PdfWriter,
  left: number,
  top: number,
  height: number,
  widths: readonly number[],
): void {
  const doc = writer.doc;
  const total = widths.reduce((a, b) => a + b, 0);
  doc.lineWidth(0.4).strokeColor(GRID.border);
  doc.rect(left, top, total, height).stroke();
  let x = left;
  for (const w of widths.slice(0, -1)) {
    x += w;
    doc
      .moveTo(x, top)
      .lineTo(x, top + height)
      .stroke();
  }
}

// ——— lessons and totals ———

function lessonList(writer: PdfWriter, subject: JournalSubject): void {
  const columns: Column[] = [
    { key: "date", title: msg.lessonDate, kind: "text", width: 9 },
    { key: "number", title: msg.lessonNumber, kind: "text", width: 5 },
    { key: "topic", title: msg.lessonTopic, kind: "text", width: 48 },
    { key: "homework", title: msg.lessonHomework, kind: "text", width: 38 },
  ];
  const rows: Row[] = subject.lessons.map((lesson) => ({
    date: formatDate(lesson.date),
    number: String(lesson.number),
    topic: lesson.topic ?? "",
    homework: lesson.homework ?? "",
  }));
  writer.table(columns, rows, { caption: msg.lessonsCaption, fontSize: 8, emptyText: msg.noLessons });
}

function totalsPage(writer: PdfWriter, totals: readonly JournalTotals[]): void {
  writer.pageBreak();
  writer.heading(msg.totalsHeading, 1);
  const columns: Column[] = [
    { key: "subject", title: msg.totalsSubject, kind: "text" },
    { key: "lessons", title: msg.totalsLessons, kind: "int" },
    { key: "marks", title: msg.totalsMarks, kind: "int" },
    { key: "absences", title: msg.totalsAbsences, kind: "int" },
    { key: "periodMarks", title: msg.totalsPeriodMarks, kind: "int" },
    { key: "average", title: msg.totalsAverage, kind: "decimal", digits: 2 },
  ];
  const rows: Row[] = totals.map((t) => ({
    subject: t.subject,
    lessons: t.lessons,
    marks: t.marks,
    absences: t.absences,
    periodMarks: t.periodMarks,
    average: t.average ?? null,
  }));
  const sum = (key: "lessons" | "marks" | "absences" | "periodMarks") =>
    totals.reduce((a, t) => a + t[key], 0);
  writer.table(columns, rows, {
    fontSize: 9,
    totalsRow: {
      subject: msg.totalsAll,
      lessons: sum("lessons"),
      marks: sum("marks"),
      absences: sum("absences"),
      periodMarks: sum("periodMarks"),
      average: null,
    },
  });
}
