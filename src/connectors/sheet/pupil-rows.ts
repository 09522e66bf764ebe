// The pupils of a sheet, one a row from `firstRow` down to a totals row (`stopAt`): their ids from the
// id column when the export has one, else from the class and the name (hashed, so no name is in a key
// or a log). A row that cannot be read (a bad id, the same pupil twice) is quarantined, and it voids
// what the sheet proves absent.
import { createHash } from "node:crypto";
import { idSchema, type Person } from "../../model/records.ts";
import type { RejectedRecord } from "../types.ts";
import { cellOrigin, type SheetGrid } from "./grid.ts";
import type { SheetMapping } from "./mapping.ts";
import { sheetReasons as msg } from "./reasons.ts";

/** A pupil's id without a platform id: stable for the class and the name, and no name in it (logs, keys). */
export function pupilId(classId: string, name: string): string {
  const key = `${classId}\u0000${name.trim().replace(/\s+/g, " ").toLowerCase().replace(/ё/g, "е")}`;
  return `sheet-${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;
}

export interface PupilRow {
  row: number;
  person: Person;
}

export function pupilRows(
  grid: SheetGrid,
  m: SheetMapping,
  classId: string,
  rejected: RejectedRecord[],
  stream: RejectedRecord["stream"],
): { rows: PupilRow[]; unreadable: boolean } {
  const stop = new RegExp(m.stopAt, "iu");
  const rowOf = new Map<string, number>();
  const rows: PupilRow[] = [];
  let unreadable = false;
  const reject = (row: number, column: number, reason: string, raw: string) => {
    rejected.push({ stream, origin: cellOrigin(grid, row, column), reason, raw });
    unreadable = true;
  };
  for (let r = m.firstRow; r <= grid.rowCount; r++) {
    const name = grid.text(r, m.nameColumn).replace(/\s+/g, " ");
    if (name === "") continue;
    if (stop.test(name)) break;
    let studentId = pupilId(classId, name);
    if (m.idColumn !== undefined) {
      const id = idSchema.safeParse(grid.text(r, m.idColumn));
      if (!id.success) {
        reject(r, m.idColumn, msg.badPupilId(id.error.issues[0].message), grid.text(r, m.idColumn));
        continue;
      }
      studentId = id.data;
    }
    const earlier = rowOf.get(studentId);
    if (earlier !== undefined) {
      reject(r, m.nameColumn, msg.duplicatePupil(earlier), name);
      continue;
    }
    rowOf.set(studentId, r);
    rows.push({ row: r, person: { id: studentId, role: "student", name, classId } });
  }
  return { rows, unreadable };
}
