// winston: JSON in production and pipes, readable lines in a terminal. Logs go to stderr so command
// output on stdout stays clean. Personal data never reaches a log: known fields are dropped here too.
import winston from "winston";

/** Fields that may carry children's or staff's personal data (names, marks, texts of entries, contacts). */
const PERSONAL_FIELDS = new Set([
  "name",
  "value",
  "mark",
  "marks",
  "topic",
  "homework",
  "email",
  "phone",
  "text",
  "raw",
  "fio",
]);

const redact = winston.format((info) => {
  for (const k of Object.keys(info)) if (PERSONAL_FIELDS.has(k)) info[k] = "[redacted]";
  return info;
});

export function createLogger(
  options: { level?: string; format?: "auto" | "json" | "pretty" } = {},
): winston.Logger {
  const json =
    options.format === "json" ||
    (options.format !== "pretty" && (process.env.NODE_ENV === "production" || !process.stderr.isTTY));
  return winston.createLogger({
    level: options.level ?? process.env.LOG_LEVEL ?? "info",
    format: json
      ? winston.format.combine(redact(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          redact(),
          winston.format.colorize(),
          winston.format.printf(({ level, message, ...rest }) => {
            const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
            return `${level}: ${String(message)}${extra}`;
          }),
        ),
    transports: [
      new winston.transports.Console({
        stderrLevels: ["error", "warn", "info", "debug", "verbose", "silly"],
      }),
    ],
  });
}

export const log = createLogger();
