// CSV files as spreadsheet exports write them: UTF-8 (with or without a BOM) or windows-1251, separated
// by ";" (Russian Excel), "," or tabs, fields quoted with "" (RFC 4180, quotes doubled inside).

export type CsvEncoding = "utf-8" | "windows-1251";

/** The text of a CSV file: the encoding given, else UTF-8 when the bytes are valid UTF-8, else windows-1251. */
export function decodeCsv(
  bytes: Uint8Array,
  encoding?: CsvEncoding,
): { text: string; encoding: CsvEncoding } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (encoding === "windows-1251") return { text: new TextDecoder("windows-1251").decode(bytes), encoding };
  if (encoding === "utf-8" || hasBom)
    return { text: new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes), encoding: "utf-8" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1251").decode(bytes), encoding: "windows-1251" };
  }
}

/** The separator of the first line: whichever of ; , or tab occurs most outside quotes. */
function separatorOf(text: string): string {
  const line = text.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, "");
  const counts = [";", ",", "\t"].map((s) => [s, line.split(s).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ";";
}

export function parseCsv(text: string): string[][] {
  const sep = separatorOf(text);
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
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
