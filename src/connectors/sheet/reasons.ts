// Why a cell, row or sheet was quarantined. The reasons quote no cell values (a mark, a pupil's name):
// those stay in the quarantined record's raw text, so the reasons can be listed and logged as they are.
export const sheetReasons = {
  badCell: "not a mark (1-5) or a journal code (n/a, exempt, pass, fail; attendance codes)",
  badHeader: (column: string) => `column ${column}: its header is not a date, so its marks were not read`,
  duplicatePupil: (row: number) => `the same pupil as row ${row}: row not read`,
  badPupilId: (reason: string) => `pupil id: ${reason}`,
  noClass: (where: string) => `no class found (${where}): sheet not read`,
  badClass: "the class is not like 7A (grade 1-11 and a letter): sheet not read",
  noSubject: (where: string) => `no subject found (${where}): sheet not read`,
  noDates: "no date in the header row: sheet not read",
  noSubjects: "no subject in the subject row: sheet not read",
  noPeriodColumn: (column: string) =>
    `column ${column}: its header names no period, so its marks were not read`,
  noPeriod: (header: string) => `period-mark column "${header}": the mapping's periods list no such period`,
  finalBesideYear:
    "a final mark beside the year's: one mark a pupil, subject and period is kept, so the final is not read",
  badPeriodMark: "a period mark is one mark (1-5) or code (n/a, exempt, pass, fail)",
} as const;
