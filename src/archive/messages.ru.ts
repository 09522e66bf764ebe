/** Russian texts of the archive module that a school user (director, IT staff) may read. */
export const archiveMessages = {
  toolMissing: (tool: string, packages: string): string =>
    `Не найдена программа «${tool}», нужная для архива. Установите пакеты Debian: ${packages}.`,
  commandFailed: (command: string): string => `Команда «${command}» завершилась с ошибкой.`,
  commandTimedOut: (command: string, seconds: number): string =>
    `Команда «${command}» не завершилась за ${seconds} с и была остановлена.`,
  badConfig: (what: string): string => `Неверные настройки архива: ${what}.`,
  outputExists: (file: string): string =>
    `Файл «${file}» уже существует; архив никогда не перезаписывает файлы.`,
  badFileName: (name: string): string => `Недопустимое имя файла архива: «${name}».`,
  notPdfA: "Файл не соответствует PDF/A-1b.",
  journalFailed: (classLabel: string, period: string, reason: string): string =>
    `Журнал ${classLabel} класса за период «${period}» не заархивирован: ${reason} Журналы до него записаны в архив, следующие — нет.`,
  unexpected: "внутренняя ошибка (подробности в журнале работы).",
  targetBusy: (target: string): string =>
    `Носитель архива «${target}» занят другой записью; повторите позже.`,
  tooFewTargets: (min: number): string =>
    `Архив нужно записывать минимум на ${min} носителя в разных местах (004 §5.2).`,
  signature: {
    noSignature: "В файле нет электронной подписи.",
    notWholeFile: "Подпись покрывает не весь файл: после подписания файл был дополнен или изменён.",
    badByteRange: "Повреждена область подписи (ByteRange) в файле.",
    invalid: "Подпись недействительна: файл изменён после подписания или подпись повреждена.",
    untrusted: "Сертификат подписи не выдан доверенным удостоверяющим центром.",
    missingFiles: "Не хватает файла документа или файла подписи.",
  },
  signatureVerdict: {
    valid: "подпись действительна",
    "integrity-only":
      "подтверждена только целостность: подписант не проверен (не задан сертификат доверенного УЦ, archive.signer.caFile)",
    invalid: "подпись недействительна",
  } as const,
  replicaStatus: {
    ok: "в порядке",
    missing: "отсутствует",
    changed: "изменён (не совпадает контрольная сумма)",
    unsigned: "подпись отсутствует или недействительна",
  } as const,
  repair: {
    restored: "восстановлен с исправной копии",
    noHealthySource: "нет исправной копии для восстановления",
    cannotResign: "подпись нельзя восстановить копированием: нужна повторная подпись директора",
  } as const,
};
