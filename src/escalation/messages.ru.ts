// Every Russian text escalation sends. Polite and factual: what is missing, by which clause, by when;
// no blame and no marks of children.

/** Russian plural: 1 замечание, 2 замечания, 5 замечаний, 21 замечание, 11 замечаний. */
export function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

export const remarks = (n: number): string => `${n} ${plural(n, "замечание", "замечания", "замечаний")}`;

/** «Здравствуйте, Ирина Петровна!» from «Иванова Ирина Петровна»; a bare greeting when the name is unknown. */
export function greeting(fullName: string | undefined): string {
  if (fullName === undefined) return "Здравствуйте!";
  const parts = fullName.trim().split(/\s+/);
  const address = parts.length === 3 ? `${parts[1]} ${parts[2]}` : fullName.trim();
  return `Здравствуйте, ${address}!`;
}

/** «Иванова И. П.» from «Иванова Ирина Петровна». */
export function shortName(fullName: string | undefined): string {
  if (fullName === undefined) return "учитель не найден в справочнике";
  const [surname, ...rest] = fullName.trim().split(/\s+/);
  if (rest.length === 0) return surname;
  return `${surname} ${rest.map((p) => `${p.charAt(0)}.`).join(" ")}`;
}

/** `001 §3.5` → «п. 3.5 Положения»; anything else is shown as given. */
export function clauseRef(clause: string): string {
  const m = /^\s*\d{3}\s*§\s*([\d.–-]+)\s*$/.exec(clause);
  return m ? `п. ${m[1]} Положения` : clause;
}

/** Whom a finding at this level has been passed to, in the dative («передано …»). */
export const PASSED_TO: Record<number, string | undefined> = {
  0: undefined,
  1: "классному руководителю",
  2: "заместителю директора по УВР",
  3: "директору",
};

export const digestText = {
  openInConsole: "Открыть в консоли",
  subject: (count: number, date: string) => `Электронный журнал: ${remarks(count)} на ${date}`,
  intro: (date: string) =>
    `На ${date} в электронном журнале есть записи, не внесённые в срок, установленный Положением ` +
    "о ведении электронного журнала. Просим внести их в ближайшее время.",
  /** For a recipient who only oversees others' entries: nothing to fill in personally. */
  oversightIntro: (date: string) =>
    `На ${date} в электронном журнале есть записи учителей, не внесённые в срок, установленный ` +
    "Положением о ведении электронного журнала. Сообщаем для контроля.",
  ownHeading: (count: number) => `Ваши записи — ${remarks(count)}:`,
  othersHeading: (count: number) => `Записи коллег, переданные вам для контроля, — ${remarks(count)}:`,
  ruleHeading: (title: string, clause: string, count: number) =>
    `${title} (${clauseRef(clause)}) — ${count}:`,
  deadline: (when: string) => `срок: ${when}`,
  passedTo: (whom: string) => `сведения переданы ${whom}`,
  ladderNote:
    "Замечания, не устранённые в срок, передаются классному руководителю, затем заместителю " +
    "директора по УВР (п. 3.4 Положения).",
  autoClose: "Замечание снимается автоматически, как только запись появится в электронном журнале.",
  signature: "Сообщение сформировано автоматически системой «Регламент». Отвечать на него не нужно.",
};

export const weeklyText = {
  subject: (from: string, to: string) => `Электронный журнал: сводка за неделю ${from}–${to}`,
  intro: (from: string, to: string) =>
    `Сводка по ведению электронного журнала за неделю с ${from} по ${to} (п. 5.1–5.2 Положения).`,
  totals: (open: number, added: number, resolved: number) =>
    `Не устранено на конец недели: ${open}. Новых за неделю: ${added}. Устранено за неделю: ${resolved}.`,
  byRuleHeading: "По видам замечаний:",
  byTeacherHeading: "По учителям:",
  ruleLabel: (title: string, clause: string) => `${title} (${clauseRef(clause)})`,
  row: (label: string, open: number, added: number, resolved: number) =>
    `${label}: не устранено ${open}, новых ${added}, устранено ${resolved}`,
  nothing: "За неделю замечаний нет.",
  signature: "Сообщение сформировано автоматически системой «Регламент». Отвечать на него не нужно.",
};

/** Added to a Telegram message cut to fit the 4096-character limit. */
export const TELEGRAM_TRUNCATED = "… Сообщение сокращено; полный список — в письме и на панели «Регламента».";
