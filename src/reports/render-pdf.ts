// PDF renderer: pdfkit writing PDF/A-1b (so Debian's PDFBox Preflight can validate it) with PT Sans
// embedded for Cyrillic. PdfWriter holds the drawing pieces (headings, paragraphs, tables that wrap
// and repeat their header, vector charts, «Стр. N из M») so other documents — the archive journal —
// can be composed from them; renderPdf lays a Report out with them.
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import { formatCell, formatInstant, formatLabelledValue, formatNumber } from "./format.ts";
import { reportMessages as msg } from "./messages.ru.ts";
import type { Chart, Column, LabelledValue, Orientation, Report, Row } from "./model.ts";
import { useSharedFonts } from "./pdf-font-cache.ts";

const require = createRequire(import.meta.url);

/** TTF files embedded in every PDF (PT Sans, OFL). Exported for other PDF producers. */
export const PDF_FONTS = {
  regular: require.resolve("@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf"),
} as const;

// Fonts are selected by file path: pdfkit caches an opened font under the key it was selected
// with, and a registered alias would be re-read and re-parsed on every switch.
const FONT_REGULAR = PDF_FONTS.regular;
const FONT_BOLD = PDF_FONTS.bold;

const COLORS = {
  text: "#1f2933",
  muted: "#52606d",
  border: "#9aa5b1",
  grid: "#d9dee5",
  headerFill: "#e4e9f0",
  stripeFill: "#f5f7fa",
  totalsFill: "#e9edf2",
  axis: "#3e4c59",
} as const;

/** Series colours: distinguishable, and still apart when printed in grey. */
const SERIES_COLORS = [
  "#2f6db3",
  "#e07b24",
  "#3a9a4b",
  "#c0392b",
  "#7d55a8",
  "#8c6d46",
  "#d4639f",
  "#5f6b7a",
  "#a8a21c",
  "#1aa3b3",
  "#1c3f75",
  "#9c2f2f",
];

const MARGIN = { top: 42, bottom: 48, left: 42, right: 42 } as const;

export interface PdfWriterOptions {
  orientation: Orientation;
  /** Document title (Info and XMP metadata); also printed small in the footer. */
  title: string;
  author?: string;
  subject?: string;
  keywords?: string | string[];
  /** Creation time in the metadata; defaults to now. */
  creationDate?: Date;
  /** Footer left text; defaults to the title. Pass "" for none. */
  footerText?: string;
}

export interface ParagraphOptions {
  bold?: boolean;
  size?: number;
  align?: "left" | "center" | "right";
  color?: string;
  /** Space after the paragraph, points (default 4). */
  gap?: number;
}

export interface PdfTableOptions {
  /** Bold last row («Итого»). */
  totalsRow?: Row;
  /** Bold caption above the table, kept on the page of the table's first rows. */
  caption?: string;
  /** Cell font size, points (default 9). */
  fontSize?: number;
  /** Repeat the header row on every page the table spans (default true). */
  repeatHeader?: boolean;
  /** Shade every other row (default true). */
  stripes?: boolean;
  /** Text when there are no rows (default «Нет данных»); the header is still drawn. */
  emptyText?: string;
}

export interface PdfChartOptions {
  /** Height of the whole chart block, points (default 230 portrait / 210 landscape). */
  height?: number;
}

interface TableCell {
  lines: string[];
  align: "left" | "right" | "center";
}

/** Draws report pieces top to bottom on A4 pages, breaking pages as needed. */
export class PdfWriter {
  /** The underlying pdfkit document, for drawing that the pieces here do not cover. */
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private readonly footerText: string;
  private finished = false;

  constructor(options: PdfWriterOptions) {
    const keywords = Array.isArray(options.keywords) ? options.keywords.join(", ") : options.keywords;
    this.doc = new PDFDocument({
      size: "A4",
      layout: options.orientation,
      margins: { ...MARGIN },
      bufferPages: true,
      pdfVersion: "1.4",
      subset: "PDF/A-1b",
      lang: "ru-RU",
      displayTitle: true,
      font: "", // none opened here: useSharedFonts gives the thread's parsed PT Sans
      info: {
        Title: options.title,
        ...(options.author ? { Author: options.author } : {}),
        ...(options.subject ? { Subject: options.subject } : {}),
        ...(keywords ? { Keywords: keywords } : {}),
        Creator: "reglament",
        Producer: "reglament (pdfkit)",
        CreationDate: options.creationDate ?? new Date(),
      },
    });
    useSharedFonts(this.doc, [FONT_BOLD, FONT_REGULAR]);
    this.doc.font(FONT_REGULAR).fillColor(COLORS.text);
    this.footerText = options.footerText ?? options.title;
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on("data", (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.on("end", () => resolve(Buffer.concat(this.chunks)));
      this.doc.on("error", reject);
    });
  }

  /** Width between the side margins, points. */
  get contentWidth(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }

  private get left(): number {
    return MARGIN.left;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  /** Space left on the current page below the cursor, points. */
  get spaceLeft(): number {
    return this.bottom - this.doc.y;
  }

  /** Starts a new page and puts the cursor at its top. */
  pageBreak(): this {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = MARGIN.top;
    return this;
  }

  /** Vertical space, breaking the page when it would not fit. */
  spacer(points: number): this {
    if (this.spaceLeft < points) this.pageBreak();
    else this.doc.y += points;
    return this;
  }

  /** Makes sure `height` points fit below the cursor, else starts a new page. */
  keepTogether(height: number): this {
    if (this.spaceLeft < height && this.doc.y > MARGIN.top + 1) this.pageBreak();
    return this;
  }

  /** A heading: level 1 is the document title, 2 a section, 3 a sub-heading. */
  heading(text: string, level: 1 | 2 | 3 = 2, options: { keepWithNext?: number } = {}): this {
    const size = level === 1 ? 16 : level === 2 ? 12.5 : 10.5;
    // A heading never ends a page: keep room for it and what follows (two lines unless told).
    this.keepTogether(size * 1.3 * 2 + 12 + (options.keepWithNext ?? 30));
    if (level > 1 && this.doc.y > MARGIN.top + 1) this.doc.y += level === 2 ? 8 : 4;
    return this.paragraph(text, { bold: true, size, gap: level === 1 ? 4 : 5 });
  }

  /** Wrapped text across the content width; long text flows on to the next pages. */
  paragraph(text: string, options: ParagraphOptions = {}): this {
    const size = options.size ?? 10;
    const font = options.bold ? FONT_BOLD : FONT_REGULAR;
    const lineHeight = size * 1.3;
    this.doc.font(font).fontSize(size);
    const lines = this.wrap(text, this.contentWidth, font, size);
    for (const line of lines) {
      if (this.spaceLeft < lineHeight) this.pageBreak();
      this.drawLine(
        line,
        this.left,
        this.doc.y,
        this.contentWidth,
        options.align ?? "left",
        font,
        size,
        options.color,
      );
      this.doc.y += lineHeight;
    }
    this.doc.y += options.gap ?? 4;
    return this;
  }

  /** «Label: value» lines, the label in bold (report parameters, section totals). */
  keyValues(items: readonly LabelledValue[], options: { size?: number; gap?: number } = {}): this {
    const size = options.size ?? 10;
    const lineHeight = size * 1.3;
    for (const item of items) {
      const label = `${item.label}: `;
      this.doc.font(FONT_BOLD).fontSize(size);
      const labelWidth = Math.min(this.doc.widthOfString(label), this.contentWidth * 0.5);
      const valueLines = this.wrap(
        formatLabelledValue(item.value),
        this.contentWidth - labelWidth,
        FONT_REGULAR,
        size,
      );
      if (this.spaceLeft < lineHeight) this.pageBreak();
      this.drawLine(label, this.left, this.doc.y, labelWidth, "left", FONT_BOLD, size);
      valueLines.forEach((line, i) => {
        if (i > 0) {
          this.doc.y += lineHeight;
          if (this.spaceLeft < lineHeight) this.pageBreak();
        }
        this.drawLine(
          line,
          this.left + labelWidth,
          this.doc.y,
          this.contentWidth - labelWidth,
          "left",
          FONT_REGULAR,
          size,
        );
      });
      this.doc.y += lineHeight;
    }
    this.doc.y += options.gap ?? 4;
    return this;
  }

  /**
   * A table across the content width. Cell text wraps (long words are broken) and the row grows;
   * a row taller than a page continues on the next; the header is repeated on every page.
   */
  table(columns: readonly Column[], rows: readonly Row[], options: PdfTableOptions = {}): this {
    const size = options.fontSize ?? 9;
    const pad = { x: 3.5, y: 2.5 };
    const lineHeight = size * 1.25;
    const widths = this.columnWidths(columns, rows, size, pad.x);
    const repeatHeader = options.repeatHeader ?? true;
    const stripes = options.stripes ?? true;

    const cellsOf = (row: Row, font: string): TableCell[] =>
      columns.map((column, i) => ({
        lines: this.wrap(
          formatCell(row[column.key], column, { grouping: true, percentSign: true }),
          widths[i] - 2 * pad.x,
          font,
          size,
        ),
        align: column.kind === "text" ? "left" : column.kind === "date" ? "center" : "right",
      }));
    const header: TableCell[] = columns.map((column, i) => ({
      lines: this.wrap(column.title, widths[i] - 2 * pad.x, FONT_BOLD, size),
      align: "center",
    }));
    const headerHeight = Math.max(...header.map((c) => c.lines.length)) * lineHeight + 2 * pad.y;

    const drawHeader = () => {
      this.drawRow(header, widths, this.doc.y, 0, Infinity, {
        font: FONT_BOLD,
        size,
        lineHeight,
        pad,
        fill: COLORS.headerFill,
        middle: true,
      });
      this.doc.y += headerHeight;
    };

    if (options.caption) {
      this.keepTogether(size * 1.6 + headerHeight + lineHeight * 2 + 2 * pad.y);
      this.paragraph(options.caption, { bold: true, size: size + 1.5, gap: 3 });
    }
    this.keepTogether(headerHeight + lineHeight + 2 * pad.y);
    drawHeader();

    const body: { cells: TableCell[]; bold: boolean; fill?: string }[] = rows.map((row, i) => ({
      cells: cellsOf(row, FONT_REGULAR),
      bold: false,
      fill: stripes && i % 2 === 1 ? COLORS.stripeFill : undefined,
    }));
    if (options.totalsRow)
      body.push({ cells: cellsOf(options.totalsRow, FONT_BOLD), bold: true, fill: COLORS.totalsFill });
    if (body.length === 0) {
      const empty: TableCell[] = [{ lines: [options.emptyText ?? msg.emptyTable], align: "center" }];
      this.drawRow(empty, [widths.reduce((a, b) => a + b, 0)], this.doc.y, 0, Infinity, {
        font: FONT_REGULAR,
        size,
        lineHeight,
        pad,
      });
      this.doc.y += lineHeight + 2 * pad.y;
    }

    const pageRoom = this.doc.page.height - MARGIN.top - MARGIN.bottom - (repeatHeader ? headerHeight : 0);
    for (const row of body) {
      const lineCount = Math.max(1, ...row.cells.map((c) => c.lines.length));
      const rowHeight = lineCount * lineHeight + 2 * pad.y;
      let from = 0;
      while (from < lineCount) {
        const fitLines = Math.floor((this.spaceLeft - 2 * pad.y) / lineHeight);
        // Move a row that fits a fresh page to it whole; split only rows taller than a page.
        const mustMove = fitLines < 1 || (from === 0 && rowHeight > this.spaceLeft && rowHeight <= pageRoom);
        if (mustMove) {
          this.pageBreak();
          if (repeatHeader) drawHeader();
          continue;
        }
        const take = Math.min(fitLines, lineCount - from);
        this.drawRow(row.cells, widths, this.doc.y, from, take, {
          font: row.bold ? FONT_BOLD : FONT_REGULAR,
          size,
          lineHeight,
          pad,
          fill: row.fill,
          heavyTop: row.bold,
        });
        this.doc.y += take * lineHeight + 2 * pad.y;
        from += take;
      }
    }
    this.doc.y += 8;
    this.doc.font(FONT_REGULAR).fillColor(COLORS.text);
    return this;
  }

  /** Height a chart takes by default on the current page's orientation, points. */
  chartHeight(): number {
    return this.doc.page.width > this.doc.page.height ? 210 : 230;
  }

  /** A bar or line chart in vector graphics: axes, grid, category labels, legend. */
  chart(chart: Chart, options: PdfChartOptions = {}): this {
    const doc = this.doc;
    const height = options.height ?? this.chartHeight();
    this.keepTogether(height + 8);
    const top = doc.y;
    const left = this.left;
    const width = this.contentWidth;

    // Title, wrapped rather than cut.
    const titleLines = this.wrap(chart.title, width, FONT_BOLD, 11);
    titleLines.forEach((line, i) => {
      this.drawLine(line, left, top + i * 14, width, "center", FONT_BOLD, 11);
    });
    const y = top + 4 + titleLines.length * 14;

    // Legend rows at the bottom, laid out first so the plot knows its height.
    const legendSize = 8.5;
    doc.font(FONT_REGULAR).fontSize(legendSize);
    const legendItems = chart.series.map((s, i) => ({
      name: s.name,
      color: SERIES_COLORS[i % SERIES_COLORS.length],
      label: this.ellipsize(s.name, width * 0.45, FONT_REGULAR, legendSize),
      width: 16 + Math.min(doc.widthOfString(s.name), width * 0.45) + 14,
    }));
    const legendRows: (typeof legendItems)[] = [[]];
    let rowWidth = 0;
    for (const item of legendItems) {
      if (rowWidth + item.width > width && legendRows[legendRows.length - 1].length > 0) {
        legendRows.push([]);
        rowWidth = 0;
      }
      legendRows[legendRows.length - 1].push(item);
      rowWidth += item.width;
    }
    const legendHeight = legendRows.length * 13;

    // Value axis.
    const values = chart.series.flatMap((s) => s.values);
    // Bars stand on zero; a line chart zooms to its values (means of 3.6–4.2 would be flat from 0).
    const showValues = chart.kind === "bar" && values.length <= 24;
    const lo = chart.kind === "bar" ? Math.min(0, ...values) : Math.min(...values);
    const hi = chart.kind === "bar" ? Math.max(0, ...values) : Math.max(...values);
    // Lines get a little air so their points do not sit on the axis.
    const air = chart.kind === "line" ? (hi - lo) * 0.05 : 0;
    const ticks = niceTicks(lo - air, hi + air);
    const tickDigits = decimalsOf(ticks.step);
    const axisSize = 8;
    doc.font(FONT_REGULAR).fontSize(axisSize);
    const tickLabels = ticks.values.map((v) => formatNumber(v, tickDigits));
    const axisLabelWidth = Math.max(...tickLabels.map((t) => doc.widthOfString(t)));

    const unitHeight = chart.unit ? 12 : 0;
    const plotLeft = left + axisLabelWidth + 6;
    const plotRight = left + width - 4;
    const plotWidth = plotRight - plotLeft;
    const slot = plotWidth / chart.categories.length;

    // Category labels: up to two lines each, words whole; on a crowded axis label every k-th slot.
    const labelsFor = (every: number) => {
      const w = slot * every - 4;
      return chart.categories.map((c, i) =>
        i % every === 0 ? { width: w, lines: this.wrap(c, w, FONT_REGULAR, axisSize) } : null,
      );
    };
    const fits = (labels: ReturnType<typeof labelsFor>, w: number) =>
      labels.every(
        (l, i) =>
          l === null ||
          (l.lines.length <= 2 &&
            chart.categories[i]
              .split(/\s+/)
              .every((word) => doc.font(FONT_REGULAR).fontSize(axisSize).widthOfString(word) <= w)),
      );
    let every = 1;
    let catLabels = labelsFor(1);
    while (every < chart.categories.length && !fits(catLabels, slot * every - 4)) {
      every++;
      catLabels = labelsFor(every);
    }
    const catHeight = Math.max(...catLabels.map((l) => Math.min(l?.lines.length ?? 0, 2))) * 10 + 4;

    // Value labels above the tallest bars get their own band over the plot.
    const plotTop = y + unitHeight + 4 + (showValues ? 9 : 0);
    const plotBottom = top + height - legendHeight - catHeight - 6;
    const plotHeight = Math.max(plotBottom - plotTop, 40);
    const range = ticks.max - ticks.min || 1;
    const yOf = (v: number) => plotTop + plotHeight - ((v - ticks.min) / range) * plotHeight;

    if (chart.unit)
      this.drawLine(chart.unit, left, y, axisLabelWidth + 40, "left", FONT_REGULAR, axisSize, COLORS.muted);

    // Grid and tick labels.
    doc.lineWidth(0.5);
    ticks.values.forEach((v, i) => {
      const ty = yOf(v);
      doc.moveTo(plotLeft, ty).lineTo(plotRight, ty).strokeColor(COLORS.grid).stroke();
      const label = tickLabels[i];
      this.drawLine(
        label,
        left,
        ty - axisSize * 0.6,
        axisLabelWidth,
        "right",
        FONT_REGULAR,
        axisSize,
        COLORS.muted,
      );
    });

    // Series.
    const zeroY = yOf(Math.max(ticks.min, Math.min(0, ticks.max)));
    const n = chart.series.length;
    if (chart.kind === "bar") {
      const group = slot * 0.72;
      const barWidth = group / n;
      const labelled = showValues && barWidth >= 12;
      chart.series.forEach((series, s) => {
        const color = SERIES_COLORS[s % SERIES_COLORS.length];
        series.values.forEach((v, c) => {
          const x = plotLeft + c * slot + (slot - group) / 2 + s * barWidth;
          const vy = yOf(v);
          const h = Math.abs(zeroY - vy);
          if (h > 0)
            doc
              .rect(x + 0.5, Math.min(vy, zeroY), Math.max(barWidth - 1, 0.5), h)
              .fillColor(color)
              .fill();
          if (labelled) {
            const label = formatNumber(v, Number.isInteger(v) ? 0 : 1);
            const labelY = v >= 0 ? vy - axisSize - 2 : vy + 2;
            this.drawLine(label, x - 6, labelY, barWidth + 12, "center", FONT_REGULAR, 7, COLORS.text);
          }
        });
      });
    } else {
      chart.series.forEach((series, s) => {
        const color = SERIES_COLORS[s % SERIES_COLORS.length];
        const points = series.values.map((v, c) => [plotLeft + c * slot + slot / 2, yOf(v)] as const);
        doc.lineWidth(1.6).strokeColor(color);
        points.forEach(([px, py], i) => {
          if (i === 0) doc.moveTo(px, py);
          else doc.lineTo(px, py);
        });
        if (points.length > 1) doc.stroke();
        for (const [px, py] of points) doc.circle(px, py, 2.4).fillColor(color).fill();
      });
    }

    // Axes on top of the bars.
    doc.lineWidth(0.8).strokeColor(COLORS.axis);
    doc
      .moveTo(plotLeft, plotTop)
      .lineTo(plotLeft, plotTop + plotHeight)
      .stroke();
    doc.moveTo(plotLeft, zeroY).lineTo(plotRight, zeroY).stroke();

    // Category labels, centred under their slot, kept on the page; one that would touch the label
    // before it (only possible at the right edge) is left out.
    const catTop = plotTop + plotHeight + 4;
    let previousRight = Number.NEGATIVE_INFINITY;
    catLabels.forEach((label, c) => {
      if (label === null) return;
      const cx = plotLeft + c * slot + slot / 2;
      const lines =
        label.lines.length > 2
          ? [
              label.lines[0],
              this.ellipsize(label.lines.slice(1).join(" "), label.width, FONT_REGULAR, axisSize),
            ]
          : label.lines;
      doc.font(FONT_REGULAR).fontSize(axisSize);
      const textWidth = Math.min(Math.max(...lines.map((l) => doc.widthOfString(l))), width);
      const x = Math.min(Math.max(cx - textWidth / 2, left), left + width - textWidth);
      if (x < previousRight + 4) return;
      previousRight = x + textWidth;
      doc
        .moveTo(cx, plotTop + plotHeight)
        .lineTo(cx, plotTop + plotHeight + 3)
        .stroke();
      lines.forEach((line, l) => {
        this.drawLine(line, x, catTop + l * 10, textWidth, "center", FONT_REGULAR, axisSize, COLORS.text);
      });
    });

    // Legend.
    let ly = top + height - legendHeight;
    for (const row of legendRows) {
      const total = row.reduce((a, item) => a + item.width, 0);
      let lx = left + (width - total) / 2;
      for (const item of row) {
        if (chart.kind === "bar")
          doc
            .rect(lx, ly + 2, 10, 8)
            .fillColor(item.color)
            .fill();
        else {
          doc
            .lineWidth(1.6)
            .strokeColor(item.color)
            .moveTo(lx, ly + 6)
            .lineTo(lx + 12, ly + 6)
            .stroke();
          doc
            .circle(lx + 6, ly + 6, 2.4)
            .fillColor(item.color)
            .fill();
        }
        this.drawLine(
          item.label,
          lx + 16,
          ly + 0.5,
          item.width - 30,
          "left",
          FONT_REGULAR,
          legendSize,
          COLORS.text,
        );
        lx += item.width;
      }
      ly += 13;
    }

    doc.y = top + height + 8;
    doc.lineWidth(1).strokeColor(COLORS.text).fillColor(COLORS.text);
    return this;
  }

  /** Adds «Стр. N из M» (and the footer text) to every page and returns the PDF bytes. */
  async finish(): Promise<Buffer> {
    if (this.finished) return this.done;
    this.finished = true;
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Writing inside the bottom margin must not start a new page.
      const savedBottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - MARGIN.bottom + 18;
      const width = doc.page.width - MARGIN.left - MARGIN.right;
      doc.lineWidth(0.5).strokeColor(COLORS.grid);
      doc
        .moveTo(MARGIN.left, y - 5)
        .lineTo(MARGIN.left + width, y - 5)
        .stroke();
      const pageLabel = msg.page(i - range.start + 1, range.count);
      doc.font(FONT_REGULAR).fontSize(8);
      const labelWidth = doc.widthOfString(pageLabel) + 2;
      if (this.footerText) {
        const text = this.ellipsize(this.footerText, width - labelWidth - 20, FONT_REGULAR, 8);
        this.drawLine(text, MARGIN.left, y, width - labelWidth - 20, "left", FONT_REGULAR, 8, COLORS.muted);
      }
      this.drawLine(
        pageLabel,
        MARGIN.left + width - labelWidth,
        y,
        labelWidth,
        "right",
        FONT_REGULAR,
        8,
        COLORS.muted,
      );
      doc.page.margins.bottom = savedBottom;
    }
    doc.flushPages();
    doc.end();
    return this.done;
  }

  // ——— drawing helpers ———

  /** One line of text at (x, y) in a box of `width`, never wrapped by pdfkit. */
  private drawLine(
    text: string,
    x: number,
    y: number,
    width: number,
    align: "left" | "right" | "center",
    font: string,
    size: number,
    color: string = COLORS.text,
  ): void {
    if (text === "") return;
    const doc = this.doc;
    doc.font(font).fontSize(size).fillColor(color);
    const w = doc.widthOfString(text);
    const dx = align === "right" ? width - w : align === "center" ? (width - w) / 2 : 0;
    // pdfkit moves its cursor after text; the pieces here manage the cursor themselves.
    const { x: cx, y: cy } = doc;
    doc.text(text, x + Math.max(dx, 0), y, { lineBreak: false });
    doc.x = cx;
    doc.y = cy;
  }

  /** Splits text into lines no wider than `width`: words wrap, over-long words break. */
  private wrap(text: string, width: number, font: string, size: number): string[] {
    const doc = this.doc;
    doc.font(font).fontSize(size);
    const measure = (s: string) => doc.widthOfString(s);
    const lines: string[] = [];
    for (const paragraph of text.replace(/\r\n?/g, "\n").replace(/\t/g, " ").split("\n")) {
      const words = paragraph.split(/ +/).filter((w) => w !== "");
      let line = "";
      for (const word of words) {
        const candidate = line === "" ? word : `${line} ${word}`;
        if (measure(candidate) <= width) {
          line = candidate;
          continue;
        }
        if (line !== "") lines.push(line);
        line = "";
        let rest = word;
        while (measure(rest) > width && rest.length > 1) {
          let cut = Math.max(1, Math.floor((rest.length * width) / measure(rest)));
          while (cut > 1 && measure(rest.slice(0, cut)) > width) cut--;
          while (cut < rest.length && measure(rest.slice(0, cut + 1)) <= width) cut++;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
      lines.push(line);
    }
    // Drop trailing empty lines but keep one line for empty text.
    while (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  private ellipsize(text: string, width: number, font: string, size: number): string {
    this.doc.font(font).fontSize(size);
    if (this.doc.widthOfString(text) <= width) return text;
    let cut = text.length;
    while (cut > 0 && this.doc.widthOfString(`${text.slice(0, cut)}…`) > width) cut--;
    return `${text.slice(0, cut)}…`;
  }

  /** Draws lines [from, from + take) of each cell as one row band with borders. */
  private drawRow(
    cells: readonly TableCell[],
    widths: readonly number[],
    top: number,
    from: number,
    take: number,
    style: {
      font: string;
      size: number;
      lineHeight: number;
      pad: { x: number; y: number };
      fill?: string;
      heavyTop?: boolean;
      /** Centre short cells vertically (headers); body cells start at the top. */
      middle?: boolean;
    },
  ): void {
    const doc = this.doc;
    const lineCount = Math.max(1, ...cells.map((c) => Math.min(c.lines.length - from, take)));
    const height = lineCount * style.lineHeight + 2 * style.pad.y;
    const totalWidth = widths.reduce((a, b) => a + b, 0);
    if (style.fill) doc.rect(this.left, top, totalWidth, height).fillColor(style.fill).fill();
    let x = this.left;
    cells.forEach((cell, i) => {
      const slice = cell.lines.slice(from, from + take);
      const shift = style.middle ? ((lineCount - slice.length) * style.lineHeight) / 2 : 0;
      slice.forEach((line, l) => {
        this.drawLine(
          line,
          x + style.pad.x,
          top + shift + style.pad.y + l * style.lineHeight + (style.lineHeight - style.size * 1.15) / 2,
          widths[i] - 2 * style.pad.x,
          cell.align,
          style.font,
          style.size,
        );
      });
      x += widths[i];
    });
    doc.lineWidth(0.5).strokeColor(COLORS.border);
    doc.rect(this.left, top, totalWidth, height).stroke();
    x = this.left;
    for (const w of widths.slice(0, -1)) {
      x += w;
      doc
        .moveTo(x, top)
        .lineTo(x, top + height)
        .stroke();
    }
    if (style.heavyTop) {
      doc
        .lineWidth(1.2)
        .strokeColor(COLORS.axis)
        .moveTo(this.left, top)
        .lineTo(this.left + totalWidth, top)
        .stroke();
    }
  }

  /**
   * Column widths filling the content width, as browsers lay out auto tables: each column wants
   * its widest cell and its heading on one line, and needs at least its longest heading word
   * (numbers: their widest value). Spare room goes to text columns; a shortfall is taken from what
   * columns want beyond what they need. Explicit `width` weights share what the others leave.
   */
  private columnWidths(
    columns: readonly Column[],
    rows: readonly Row[],
    size: number,
    padX: number,
  ): number[] {
    const doc = this.doc;
    const total = this.contentWidth;
    const floor = Math.min(24, total / columns.length);
    const sample = rows.length > 400 ? rows.slice(0, 400) : rows;
    const wants: number[] = [];
    const needs: number[] = [];
    for (const column of columns) {
      doc.font(FONT_BOLD).fontSize(size);
      const headerWord = Math.max(...column.title.split(/\s+/).map((w) => doc.widthOfString(w)));
      const headerLine = doc.widthOfString(column.title);
      doc.font(FONT_REGULAR).fontSize(size);
      let widest = 0;
      for (const row of sample) {
        const text = formatCell(row[column.key], column, { grouping: true, percentSign: true });
        if (text) widest = Math.max(widest, ...text.split("\n").map((l) => doc.widthOfString(l)));
      }
      const numeric = column.kind !== "text";
      const need = Math.max(
        floor,
        headerWord + 2 * padX + 1,
        numeric ? widest + 2 * padX + 1 : Math.min(widest, 60),
      );
      const want = Math.max(need, Math.min(Math.max(widest, headerLine) + 2 * padX + 1, total * 0.6));
      needs.push(Math.min(need, total * 0.5));
      wants.push(Math.min(want, total * 0.6));
    }

    const weighted = columns.map((c) => c.width !== undefined);
    if (weighted.some(Boolean)) {
      const others = wants.reduce((a, w, i) => a + (weighted[i] ? 0 : w), 0);
      const weightSum = columns.reduce((a, c) => a + (c.width ?? 0), 0);
      const room = Math.max(total - others, 0);
      return this.fit(
        columns.map((c, i) =>
          weighted[i] ? Math.max(floor, (room * (c.width ?? 0)) / weightSum) : wants[i],
        ),
      );
    }
    const wantSum = wants.reduce((a, b) => a + b, 0);
    if (wantSum <= total) {
      const text = columns.map((c) => c.kind === "text");
      if (!text.some(Boolean)) text.fill(true);
      const textSum = wants.reduce((a, w, i) => a + (text[i] ? w : 0), 0);
      return this.fit(wants.map((w, i) => (text[i] ? w + ((total - wantSum) * w) / textSum : w)));
    }
    const needSum = needs.reduce((a, b) => a + b, 0);
    if (needSum >= total) return this.fit(needs);
    const extra = wantSum - needSum;
    return this.fit(needs.map((n, i) => n + ((total - needSum) * (wants[i] - n)) / (extra || 1)));
  }

  /** Scales widths so the table ends exactly at the right margin. */
  private fit(widths: number[]): number[] {
    const sum = widths.reduce((a, b) => a + b, 0);
    return widths.map((w) => (w * this.contentWidth) / sum);
  }
}

/** Chart value-axis ticks on 1/2/2.5/5 steps covering [min, max]. */
function niceTicks(min: number, max: number): { min: number; max: number; step: number; values: number[] } {
  if (min === max) max = min + 1;
  const rough = (max - min) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) values.push(Math.round(v / step) * step);
  return { min: lo, max: hi, step, values };
}

function decimalsOf(step: number): number {
  for (let d = 0; d < 4; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(Math.round(scaled) - scaled) < 1e-9) return d;
  }
  return 4;
}

/** Lays a report out: title block, parameters, then each section's text, tables, chart, totals. */
export async function renderPdf(report: Report, options: { creationDate?: Date } = {}): Promise<Buffer> {
  const writer = new PdfWriter({
    orientation: report.orientation,
    title: report.title,
    subject: report.subtitle,
    keywords: [report.kind],
    creationDate: options.creationDate ?? new Date(report.generatedAt),
  });
  writer.heading(report.title, 1);
  if (report.subtitle) writer.paragraph(report.subtitle, { size: 11.5, color: COLORS.muted, gap: 6 });
  writer.keyValues(
    [...report.parameters, { label: msg.generatedAt, value: formatInstant(report.generatedAt) }],
    {
      size: 9.5,
      gap: 6,
    },
  );
  for (const section of report.sections) {
    // A heading directly over a chart stays with the chart.
    const chartFirst = section.chart && !section.paragraphs?.length && !section.tables?.length;
    if (section.heading)
      writer.heading(section.heading, 2, chartFirst ? { keepWithNext: writer.chartHeight() } : {});
    for (const text of section.paragraphs ?? []) writer.paragraph(text);
    for (const table of section.tables ?? []) {
      writer.table(table.columns, table.rows, { totalsRow: table.totalsRow, caption: table.caption });
    }
    if (section.chart) writer.chart(section.chart);
    if (section.totals?.length) writer.keyValues(section.totals);
  }
  return writer.finish();
}
