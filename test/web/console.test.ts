// The console end to end in a real headless Chromium (Debian's package driven by playwright-core, no
// browser download) against the real HTTP app on the demo school: what each role does in the browser.
// Screenshots of the main pages are written to out/screenshots/ (git-ignored) for people to look at.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import ExcelJS from "exceljs";
import { simpleParser } from "mailparser";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import type { Role } from "../../src/api/types.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { demoEmail, escalateDemo } from "../../src/escalation/demo-delivery.ts";
import { chromiumPath, requireTool } from "../support/system-tools.ts";
import {
  CONSOLE_ENGINE,
  type ConsoleServer,
  MOODLE_TOKEN,
  PASSWORD,
  startConsoleServer,
} from "./console-server.ts";

const SHOTS = fileURLToPath(new URL("../../out/screenshots/", import.meta.url));
const LAPTOP = { width: 1366, height: 768 };

describe(`console in a browser (chromium) [${CONSOLE_ENGINE}]`, function () {
  this.timeout(300_000);
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let prevSecret: string | undefined;

  before(async function () {
    requireTool(this, "chromium");
    mkdirSync(SHOTS, { recursive: true });
    prevSecret = process.env.REGLAMENT_SECRET;
    process.env.REGLAMENT_SECRET ??= "console-browser-test-secret";
    server = await startConsoleServer();
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
  });

  after(async () => {
    if (prevSecret === undefined) delete process.env.REGLAMENT_SECRET;
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: LAPTOP, locale: "ru-RU", acceptDownloads: true });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    if (process.env.DEBUG_CONSOLE_TEST) {
      page.on("response", async (r) => {
        if (r.url().includes("/api/"))
          console.log(r.status(), r.request().method(), r.url(), (await r.text()).slice(0, 300));
      });
      page.on("request", (r) => r.url().includes("/api/") && console.log("->", r.method(), r.url()));
      page.on("console", (m) => console.log("browser:", m.text()));
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const name = this.currentTest.title.replace(/[^\p{L}\d]+/gu, "-").slice(0, 60);
      await page.screenshot({ path: join(SHOTS, `failed-${name}.png`) }).catch(() => undefined);
    }
    await context?.close();
  });

  async function shot(name: string, target: Page = page): Promise<void> {
    await target.waitForLoadState("networkidle");
    // Drawers and menus slide in: a shot mid-transition shows both pages through each other.
    await target.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
    await target.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  async function signIn(role: Role, path = "/"): Promise<void> {
    await page.goto(server.base + path);
    await page.getByRole("textbox", { name: "Логин" }).fill(server.login(role));
    await page.getByLabel(/^Пароль/).fill(PASSWORD);
    await page.getByRole("button", { name: "Войти" }).click();
    await page.getByRole("button", { name: "Выйти" }).waitFor();
  }

  async function menu(): Promise<string[]> {
    const nav = page.getByRole("navigation", { name: "Разделы консоли" });
    return (await nav.getByRole("link").allTextContents()).map((t) => t.trim());
  }

  it("the deputy filters the inbox, waives a violation with a reason and sees it in the history", async () => {
    await page.goto(server.base + "/");
    await shot("01-login");
    await signIn("deputy");
    expect(await menu()).to.include.members(["Нарушения", "Соблюдение регламента", "Эскалация", "Отчёты"]);
    expect(await menu()).to.not.include.members(["Источники", "Пользователи", "Журнал аудита"]);
    await page.getByRole("heading", { name: "Нарушения" }).waitFor();
    const table = page.getByRole("table", { name: "Нарушения" });
    await table.waitFor();
    await shot("02-inbox");

    // filter by the first teacher in the list: every row is theirs
    const teacherSelect = page.getByLabel("Учитель");
    const teacher = (await teacherSelect.locator("option").nth(1).innerText()).trim();
    await Promise.all([
      page.waitForResponse((r) => r.url().includes("/findings?") && r.url().includes("teacher=")),
      teacherSelect.selectOption({ label: teacher }),
    ]);
    await page.waitForFunction(
      (name) =>
        [...document.querySelectorAll("table tbody tr td:nth-child(2)")].every(
          (td) => td.textContent === name,
        ),
      teacher,
    );
    const teachers = await table.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(teachers.length).to.be.greaterThan(0);
    expect(new Set(teachers.map((t) => t.trim()))).to.deep.equal(new Set([teacher]));

    // open the first violation, waive it with a reason
    await table.locator("tbody tr").first().getByRole("button").click();
    const drawer = page.getByRole("dialog");
    await drawer.getByText("Доказательство").waitFor();
    await shot("03-finding-drawer");
    const reason = "Урок перенесён приказом № 12 от 15.09";
    await drawer.getByLabel("Причина снятия").fill(reason);
    await drawer.getByRole("button", { name: "Снять нарушение" }).click();
    await drawer.getByRole("button", { name: "Открыть снова" }).waitFor();
    await drawer.getByText(`Причина: ${reason}`).waitFor();
    const history = await drawer.getByRole("heading", { name: "История" }).locator("xpath=..").innerText();
    expect(history).to.include("Снято").and.to.include(reason);

    await drawer.getByRole("button", { name: "Закрыть" }).click();
    await drawer.waitFor({ state: "hidden" });

    // the compliance board and the escalation page open with their data
    await page.getByRole("link", { name: "Соблюдение регламента" }).click();
    await page.getByRole("heading", { name: "Доля записей вовремя по неделям" }).waitFor();
    await shot("04-compliance");
    await page.getByRole("link", { name: "Эскалация" }).click();
    await page.getByRole("table", { name: "Лестница эскалации" }).waitFor();
    await shot("05-escalation");
    await page.getByRole("link", { name: "Аналитика" }).click();
    await page.getByRole("heading", { name: "Успеваемость" }).waitFor();
    await shot("06-analytics");
  });

  it("date pickers speak Russian (дд.мм.гггг, Russian months) in an English-language browser", async () => {
    await context.close();
    context = await browser.newContext({ viewport: LAPTOP, locale: "en-US" });
    page = await context.newPage();
    await signIn("deputy");
    await page.getByRole("table", { name: "Нарушения" }).waitFor();
    const from = page
      .getByRole("textbox", { name: "С даты" })
      .or(page.getByRole("button", { name: "С даты" }));
    await from.first().click();
    // The calendar's heading is a Russian month and year; weeks start on Monday («пн»).
    const months = /январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь/i;
    await page.getByText(months).first().waitFor();
    const weekdays = await page.locator("th[class*='-weekday']").allTextContents();
    expect(weekdays.map((d) => d.trim().toLowerCase()).filter(Boolean)[0]).to.equal("пн");
    await shot("02b-date-picker");
    // Typed in the Russian format, the filter goes to the API as YYYY-MM-DD and shows as дд.мм.гггг.
    const input = page.getByRole("textbox", { name: "С даты" });
    await page.keyboard.press("Escape");
    await Promise.all([
      page.waitForResponse((r) => r.url().includes("/findings?") && r.url().includes("from=2026-09-01")),
      (async () => {
        await input.fill("01.09.2026");
        await input.blur();
      })(),
    ]);
    expect(await input.inputValue()).to.equal("01.09.2026");
  });

  it("a teacher sees only their own findings", async () => {
    await signIn("teacher");
    expect(await menu()).to.deep.equal(["Мои замечания", "Мои уведомления"]);
    await page.getByRole("heading", { name: "Мои замечания" }).waitFor();
    await page.getByRole("table", { name: "Мои замечания" }).waitFor();
    await shot("07-teacher");
    const [{ n }] = await server.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM violations WHERE school_id = $1 AND status = 'open' AND responsible_id = $2",
      [server.schoolId, server.teacherPersonId],
    );
    await page.getByText(`Всего: ${Number(n).toLocaleString("ru-RU")}`).waitFor();
    // someone else's finding by its link: not found, nothing of it shown
    const [other] = await server.db.query<{ id: string }>(
      "SELECT id FROM violations WHERE school_id = $1 AND responsible_id <> $2 LIMIT 1",
      [server.schoolId, server.teacherPersonId],
    );
    await page.goto(`${server.base}/findings/${other.id}`);
    await page
      .getByRole("alert")
      .filter({ hasText: /не найден/i })
      .first()
      .waitFor();
  });

  it("a teacher opens the finding from the link in their escalation e-mail", async () => {
    // The demo's escalation, with the console's address known: the e-mail lands in a local mailbox.
    const outDir = mkdtempSync(join(tmpdir(), "console-mail-"));
    const [{ observed }] = await server.db.query<{ observed: Date }>(
      "SELECT max(observed_at) AS observed FROM sync_runs WHERE status = 'ok'",
    );
    await escalateDemo(
      server.db,
      server.schoolId,
      new Date(observed),
      { ...loadConfig({ env: {} }).escalation, consoleUrl: server.base },
      outDir,
    );
    const to = demoEmail(server.teacherPersonId);
    let html = "";
    for (const f of readdirSync(join(outDir, "mailbox")).filter((n) => n.endsWith(".eml"))) {
      const mail = await simpleParser(readFileSync(join(outDir, "mailbox", f)));
      if (mail.to && JSON.stringify(mail.to).includes(to) && mail.html) html = mail.html;
    }
    const href = /<a href="([^"]+)">Открыть в консоли<\/a>/.exec(html)?.[1];
    expect(href, "a link in the teacher's digest").to.match(new RegExp(`^${server.base}/findings/\\d+$`));
    const id = href?.split("/").pop();
    const [own] = await server.db.query<{ responsible_id: string }>(
      "SELECT responsible_id FROM violations WHERE id = $1",
      [id ?? ""],
    );
    expect(own.responsible_id).to.equal(server.teacherPersonId);
    // Signed out, the link asks for the login and then shows that finding.
    await page.goto(href as string);
    await page.getByRole("textbox", { name: "Логин" }).fill(server.login("teacher"));
    await page.getByLabel(/^Пароль/).fill(PASSWORD);
    await page.getByRole("button", { name: "Войти" }).click();
    await page.getByRole("heading", { name: "Замечание" }).waitFor();
    expect(new URL(page.url()).pathname).to.equal(`/findings/${id}`);
    await page.getByText("Доказательство").waitFor();
    await shot("07b-teacher-finding-from-mail");
  });

  it("the coordinator downloads a PDF and an XLSX and both files open", async () => {
    await signIn("coordinator");
    await page.getByRole("link", { name: "Отчёты" }).click();
    const form = page.getByRole("heading", { name: "Сформировать отчёт" });
    await form.waitFor();
    await shot("08-reports");
    // «Успеваемость» over a period: the period select starts at the first period
    await page.getByLabel("Вид отчёта").selectOption("performance");
    for (const format of ["PDF", "XLSX"]) {
      await page.getByText(format, { exact: true }).click();
      await page.getByRole("button", { name: "Сформировать" }).click();
      const link = page.getByRole("link", { name: /^Скачать / });
      await link.waitFor({ timeout: 120_000 });
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const file = await download.path();
      const bytes = readFileSync(file);
      if (format === "PDF") {
        expect(bytes.subarray(0, 5).toString("latin1")).to.equal("%PDF-");
      } else {
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(bytes as unknown as ArrayBuffer);
        expect(book.worksheets.length).to.be.greaterThan(0);
      }
    }
  });

  it("the admin adds a Moodle source, checks it, syncs it and sees the run", async () => {
    await signIn("admin");
    expect(await menu()).to.include.members(["Источники", "Очередь заданий", "Пользователи", "Архив"]);
    expect(await menu()).to.not.include("Нарушения");
    await page.getByRole("link", { name: "Источники" }).click();
    await page.getByRole("button", { name: "Добавить источник" }).click();
    const dialog = page.getByRole("dialog", { name: "Новый источник" });
    const school = server.moodleDataset.manifest.school;
    await dialog.getByLabel("Код источника").fill("moodle-test");
    await dialog.getByLabel("Платформа").selectOption("moodle");
    await dialog.getByLabel("Адрес платформы (URL)").fill(server.moodle.url);
    await dialog.getByLabel("Токен или пароль").fill(MOODLE_TOKEN);
    await dialog.getByLabel("Код школы").fill(school.id);
    await dialog.getByLabel("Часовой пояс школы").fill(school.timezone);
    await dialog
      .getByLabel("Прочие параметры (JSON)")
      .fill(JSON.stringify({ periods: server.moodleDataset.streams.periods }));
    await shot("09-source-add");
    await dialog.getByRole("button", { name: "Добавить" }).click();
    if (process.env.DEBUG_CONSOLE_TEST) {
      await page.waitForTimeout(2000);
      console.log(
        await page.evaluate(() =>
          [...document.querySelectorAll("form :invalid")].map(
            (e) => e.outerHTML.slice(0, 200) + (e as HTMLInputElement).validationMessage,
          ),
        ),
      );
    }
    await dialog.waitFor({ state: "hidden" });

    await page
      .getByRole("table", { name: "Источники данных" })
      .getByRole("button", { name: "moodle-test" })
      .click();
    const drawer = page.getByRole("dialog", { name: "Источник moodle-test" });
    await drawer.getByRole("button", { name: "Проверить" }).click();
    await drawer.getByText("Проверка пройдена").waitFor();
    await drawer.getByRole("button", { name: "Синхронизировать сейчас" }).click();
    const runs = drawer.getByRole("table", { name: "Запуски синхронизации" });
    await runs.getByText("Успешно").waitFor({ timeout: 120_000 });
    const cells = await runs.locator("tbody tr").first().locator("td").allTextContents();
    expect(Number(cells[2])).to.be.greaterThan(0); // records read
    await shot("10-source-runs");
    await drawer.getByRole("button", { name: "Закрыть" }).click();

    await page.getByRole("link", { name: "Очередь заданий" }).click();
    await page.getByRole("heading", { name: "Очередь заданий" }).waitFor();
    await shot("11-jobs");
    await page.getByRole("link", { name: "Пользователи" }).click();
    await page.getByRole("table", { name: "Пользователи" }).waitFor();
    await shot("12-users");
  });

  it("the director reads the audit log and the archive", async () => {
    await signIn("director");
    await page.getByRole("link", { name: "Журнал аудита" }).click();
    await page.getByRole("table", { name: "Журнал аудита" }).waitFor();
    await shot("13-audit");
    await page.getByRole("link", { name: "Архив" }).click();
    await page.getByRole("heading", { name: "Архив" }).waitFor();
    await shot("14-archive");
  });

  it("on a phone the menu sits behind the burger", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn("deputy");
    const burger = page.getByRole("button", { name: "Открыть меню" });
    await burger.click();
    await page
      .getByRole("navigation", { name: "Разделы консоли" })
      .getByRole("link", { name: "Отчёты" })
      .click();
    await page.getByRole("heading", { name: "Отчёты" }).waitFor();
    await shot("15-phone-reports");
  });

  it("five wrong passwords lock the login, and the form says so", async () => {
    await page.goto(server.base + "/login");
    for (let i = 0; i < 5; i++) {
      await page.getByRole("textbox", { name: "Логин" }).fill(server.login("director"));
      await page.getByLabel(/^Пароль/).fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Войти" }).click();
      await page
        .getByRole("alert")
        .getByText(/Неверный логин или пароль|заблокирована/)
        .first()
        .waitFor();
    }
    await page.getByRole("textbox", { name: "Логин" }).fill(server.login("director"));
    await page.getByLabel(/^Пароль/).fill(PASSWORD);
    await page.getByRole("button", { name: "Войти" }).click();
    await page
      .getByRole("alert")
      .getByText("Учётная запись временно заблокирована", { exact: true })
      .waitFor();
    await shot("16-locked");
    expect(await page.getByRole("button", { name: "Выйти" }).count()).to.equal(0);
  });
});
