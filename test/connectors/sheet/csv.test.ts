import { expect } from "chai";
import { decodeCsv, parseCsv } from "../../../src/connectors/sheet/csv.ts";
import { encodeWindows1251 } from "./support/journal-files.ts";

describe("CSV journal files", () => {
  it("detects UTF-8 (with or without BOM) and windows-1251, or takes the encoding given", () => {
    const text = "ФИО;02.09\r\nЁлкина Мария;н/а\r\n";
    expect(decodeCsv(Buffer.from(text))).to.deep.equal({ text, encoding: "utf-8" });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).to.deep.equal({
      text,
      encoding: "utf-8",
    });
    expect(decodeCsv(encodeWindows1251(text))).to.deep.equal({ text, encoding: "windows-1251" });
    // Valid UTF-8 bytes read as windows-1251 when told so.
    expect(decodeCsv(Buffer.from("Я"), "windows-1251").text).to.equal("РЇ");
  });

  it("splits on the separator the first line uses, with quoted fields", () => {
    expect(parseCsv('a;"b;c";"say ""5"""\r\n1;2;3\n')).to.deep.equal([
      ["a", "b;c", 'say "5"'],
      ["1", "2", "3"],
    ]);
    expect(parseCsv('a,b\n"x\ny",4')).to.deep.equal([
      ["a", "b"],
      ["x\ny", "4"],
    ]);
    expect(parseCsv("a\tb\n1\t2")).to.deep.equal([
      ["a", "b"],
      ["1", "2"],
    ]);
  });
});
