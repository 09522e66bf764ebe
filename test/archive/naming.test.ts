import { expect } from "chai";
import { BadArchiveNameError } from "../../src/archive/errors.ts";
import {
  archiveFileName,
  readableFileName,
  sanitizeNamePart,
  schoolFolderName,
  withVersionSuffix,
} from "../../src/archive/naming.ts";

describe("archive/naming: <год>_<период>_<класс>.pdf", () => {
  it("follows 001 §3.1 by default and keeps Cyrillic letters", () => {
    expect(archiveFileName({ year: "2025-2026", period: "2", class: "5А" })).to.equal("2025-2026_2_5А.pdf");
    expect(archiveFileName({ year: "2025-2026", period: "1 полугодие", class: "10 «Б»" })).to.equal(
      "2025-2026_1 полугодие_10 «Б».pdf",
    );
  });

  it("uses a configured template", () => {
    expect(
      archiveFileName({ year: "2025/2026", period: "год", class: "11Б" }, "ЭЖ_{class}_{year}_{period}.pdf"),
    ).to.equal("ЭЖ_11Б_2025-2026_год.pdf");
  });

  it("turns separators, Windows-forbidden characters and controls into '-', never a folder", () => {
    const name = archiveFileName({ year: "2025\\2026", period: "../2", class: 'a/b:c*?"<>|\n' });
    expect(name).to.not.match(/[/\\:*?"<>|\n]/);
    expect(name).to.equal("2025-2026_..-2_a-b-c------.pdf");
    expect(sanitizeNamePart("  5   А \t")).to.equal("5 А");
  });

  it("normalises to NFC so the same class always gives the same bytes", () => {
    const decomposed = "5\u0419".normalize("NFD"); // Й as И + combining breve
    expect(decomposed).to.not.equal("5Й");
    expect(archiveFileName({ year: "2025-2026", period: "1", class: decomposed })).to.equal(
      "2025-2026_1_5Й.pdf",
    );
  });

  it("rejects templates with folders or unknown placeholders, empty parts and over-long names", () => {
    const parts = { year: "2025-2026", period: "2", class: "5А" };
    expect(() => archiveFileName(parts, "{year}/{period}_{class}.pdf")).to.throw(BadArchiveNameError);
    expect(() => archiveFileName(parts, "{year}_{school}.pdf")).to.throw(BadArchiveNameError, /school/);
    expect(() => archiveFileName({ ...parts, class: "   " })).to.throw(BadArchiveNameError);
    expect(() => archiveFileName({ ...parts, class: "Я".repeat(130) })).to.throw(BadArchiveNameError, /255/);
  });

  it("a school's folder is one safe path component; readable names keep «5А» and fit 255 bytes", () => {
    expect(schoolFolderName("sch1")).to.equal("sch1");
    expect(schoolFolderName("1000001234567")).to.equal("1000001234567");
    expect(schoolFolderName("moodle/школа 7")).to.equal("moodle-школа 7");
    expect(() => schoolFolderName("../x")).to.throw(BadArchiveNameError);
    expect(() => schoolFolderName("..")).to.throw(BadArchiveNameError);
    expect(readableFileName("Ведомость успеваемости 5А, 2 четверть 2025-2026", "xlsx")).to.equal(
      "Ведомость успеваемости 5А, 2 четверть 2025-2026.xlsx",
    );
    expect(readableFileName("Итоги 9 «В»: 1/2 года", "pdf")).to.equal("Итоги 9 «В»- 1-2 года.pdf");
    const long = readableFileName(`Выписка ${"Я".repeat(200)}`, "pdf");
    expect(Buffer.byteLength(long, "utf8")).to.be.at.most(255);
    expect(long.endsWith("Я.pdf")).to.equal(true);
  });

  it("adds version suffixes before the extension", () => {
    expect(withVersionSuffix("2025-2026_2_5А.pdf", 1)).to.equal("2025-2026_2_5А.pdf");
    expect(withVersionSuffix("2025-2026_2_5А.pdf", 2)).to.equal("2025-2026_2_5А_v2.pdf");
    expect(withVersionSuffix("README", 3)).to.equal("README_v3");
  });
});
