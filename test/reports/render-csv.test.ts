import { expect } from "chai";
import type { Report, Table } from "../../src/reports/model.ts";
import { csvField, renderCsv, renderCsvTable } from "../../src/reports/render-csv.ts";
import { classResultsReport } from "./sample-report.ts";

/** A small RFC 4180 reader for ";" (quotes, doubled quotes, line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ";") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

const table: Table = {
  columns: [
    { key: "name", title: "Ученик", kind: "text" },
    { key: "mean", title: "Средний балл", kind: "decimal" },
    { key: "q", title: "Качество, %", kind: "percent" },
    { key: "d", title: "Дата", kind: "date" },
  ],
  rows: [
    { name: "Ёлкина Юлия; «староста»", mean: 4.666666, q: 87.5, d: "2026-11-02" },
    { name: 'Щукин "Щ" Эдуард\nвторая строка', mean: 3, q: null, d: null },
    { name: "=СУММ(A1:A2)", mean: null, q: 0, d: "2026-01-31" },
  ],
  totalsRow: { name: "Итого", mean: 3.83, q: 43.75, d: null },
};

describe("reports/render-csv", () => {
  it("starts with the UTF-8 BOM and round-trips Cyrillic text", () => {
    const buffer = renderCsvTable(table);
    expect([...buffer.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = buffer.toString("utf8").slice(1);
    const rows = parseCsv(text);
    expect(rows[0]).to.deep.equal(["Ученик", "Средний балл", "Качество, %", "Дата"]);
    expect(rows[1]).to.deep.equal(["Ёлкина Юлия; «староста»", "4,67", "87,5", "02.11.2026"]);
    expect(rows[2]).to.deep.equal(['Щукин "Щ" Эдуард\nвторая строка', "3,00", "", ""]);
    expect(rows[4]).to.deep.equal(["Итого", "3,83", "43,8", ""]);
    expect(rows).to.have.length(5);
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    const rows = parseCsv(renderCsvTable(table).toString("utf8").slice(1));
    expect(rows[3][0]).to.equal("'=СУММ(A1:A2)");
    expect(csvField("-5", false)).to.equal("-5");
    expect(csvField("-5", true)).to.equal("'-5");
  });

  it("quotes only what needs quoting", () => {
    expect(csvField("просто", true)).to.equal("просто");
    expect(csvField("a;b", true)).to.equal('"a;b"');
    expect(csvField(" пробел", true)).to.equal('" пробел"');
  });

  it("puts several tables in one file, each after a blank line and its heading", () => {
    const text = renderCsv(classResultsReport()).toString("utf8");
    expect(text.charCodeAt(0)).to.equal(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).to.deep.equal(["Успеваемость и качество по предметам"]);
    expect(rows[1][0]).to.equal("Предмет");
    expect(rows[2]).to.deep.equal([
      "Русский язык",
      "10",
      "3",
      "4",
      "2",
      "1",
      "0",
      "90,0",
      "70,0",
      "64,4",
      "3,90",
    ]);
    const blanks = rows.map((r, i) => (r.length === 1 && r[0] === "" ? i : -1)).filter((i) => i >= 0);
    expect(blanks).to.have.length(2);
    for (const b of blanks) expect(rows[b + 1]).to.have.length(1);
    expect(rows[blanks[1] + 1]).to.deep.equal(["Средний балл по месяцам"]);
    expect(text.split("\r\n").every((line) => !line.includes("\n"))).to.equal(true);
  });

  it("writes a lone table without a heading line", () => {
    const report: Report = {
      kind: "one",
      title: "Одна таблица",
      parameters: [],
      generatedAt: "2026-11-25T10:00:00+03:00",
      orientation: "portrait",
      sections: [{ heading: "Раздел", tables: [table] }],
    };
    expect(renderCsv(report).equals(renderCsvTable(table))).to.equal(true);
  });
});
