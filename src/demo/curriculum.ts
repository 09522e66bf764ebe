// The demo school's curriculum: subjects, weekly hours per grade (after the ФОП 2023 plans for a
// five-day week), which teacher speciality teaches what, the assessed works of each subject in a
// quarter, and the Russian lesson topics and homework the journal shows.
import type { WorkKind } from "../model/records.ts";
import type { Rng } from "./random.ts";

export interface SubjectDef {
  id: string;
  name: string;
  /** Who teaches it in grades 5–11 (grades 1–4: see PRIMARY_SUBJECTS). */
  speciality: Speciality;
}

export type Speciality =
  | "primary"
  | "philology"
  | "math"
  | "history"
  | "english"
  | "physics"
  | "chemistry"
  | "biology"
  | "geography"
  | "informatics"
  | "pe"
  | "arts"
  | "music"
  | "obzr";

export const SUBJECTS: readonly SubjectDef[] = [
  { id: "rus", name: "Русский язык", speciality: "philology" },
  { id: "lit", name: "Литература", speciality: "philology" },
  { id: "litread", name: "Литературное чтение", speciality: "primary" },
  { id: "math", name: "Математика", speciality: "math" },
  { id: "alg", name: "Алгебра", speciality: "math" },
  { id: "geom", name: "Геометрия", speciality: "math" },
  { id: "prob", name: "Вероятность и статистика", speciality: "math" },
  { id: "phys", name: "Физика", speciality: "physics" },
  { id: "chem", name: "Химия", speciality: "chemistry" },
  { id: "bio", name: "Биология", speciality: "biology" },
  { id: "hist", name: "История", speciality: "history" },
  { id: "soc", name: "Обществознание", speciality: "history" },
  { id: "geo", name: "География", speciality: "geography" },
  { id: "eng", name: "Английский язык", speciality: "english" },
  { id: "inf", name: "Информатика", speciality: "informatics" },
  { id: "pe", name: "Физическая культура", speciality: "pe" },
  { id: "art", name: "ИЗО", speciality: "arts" },
  { id: "music", name: "Музыка", speciality: "music" },
  { id: "tech", name: "Технология", speciality: "arts" },
  { id: "obzr", name: "ОБЗР", speciality: "obzr" },
  { id: "world", name: "Окружающий мир", speciality: "primary" },
  { id: "proj", name: "Индивидуальный проект", speciality: "philology" },
];

/** In grades 1–4 the class teacher teaches these; English, music and PE come from specialists. */
export const PRIMARY_SUBJECTS: ReadonlySet<string> = new Set([
  "rus",
  "litread",
  "math",
  "world",
  "art",
  "tech",
]);

export const SPECIALITY_TITLE: Record<Speciality, string> = {
  primary: "учитель начальных классов",
  philology: "учитель русского языка и литературы",
  math: "учитель математики",
  history: "учитель истории и обществознания",
  english: "учитель английского языка",
  physics: "учитель физики",
  chemistry: "учитель химии",
  biology: "учитель биологии",
  geography: "учитель географии",
  informatics: "учитель информатики",
  pe: "учитель физической культуры",
  arts: "учитель ИЗО и технологии",
  music: "учитель музыки",
  obzr: "преподаватель-организатор ОБЗР",
};

const PRIMARY = { rus: 5, litread: 4, eng: 2, math: 4, world: 2, art: 1, music: 1, tech: 1, pe: 2 };

/** Weekly hours by grade (1–11). */
export const WEEKLY_HOURS: Record<number, Record<string, number>> = {
  1: { rus: 5, litread: 4, math: 4, world: 2, art: 1, music: 1, tech: 1, pe: 2 },
  2: PRIMARY,
  3: PRIMARY,
  4: PRIMARY,
  5: { rus: 5, lit: 3, eng: 3, math: 5, hist: 2, geo: 1, bio: 1, art: 1, music: 1, tech: 2, pe: 2 },
  6: { rus: 6, lit: 3, eng: 3, math: 5, hist: 2, soc: 1, geo: 1, bio: 1, art: 1, music: 1, tech: 2, pe: 2 },
  7: {
    rus: 4,
    lit: 2,
    eng: 3,
    alg: 3,
    geom: 2,
    prob: 1,
    inf: 1,
    hist: 2,
    soc: 1,
    geo: 2,
    bio: 1,
    phys: 2,
    art: 1,
    music: 1,
    tech: 2,
    pe: 2,
  },
  8: {
    rus: 3,
    lit: 2,
    eng: 3,
    alg: 3,
    geom: 2,
    prob: 1,
    inf: 1,
    hist: 2,
    soc: 1,
    geo: 2,
    bio: 2,
    phys: 2,
    chem: 2,
    music: 1,
    tech: 1,
    obzr: 1,
    pe: 2,
  },
  9: {
    rus: 3,
    lit: 3,
    eng: 3,
    alg: 3,
    geom: 2,
    prob: 1,
    inf: 1,
    hist: 2,
    soc: 1,
    geo: 2,
    bio: 2,
    phys: 3,
    chem: 2,
    obzr: 1,
    pe: 2,
  },
  10: {
    rus: 2,
    lit: 3,
    eng: 3,
    alg: 4,
    geom: 3,
    prob: 1,
    inf: 1,
    hist: 2,
    soc: 2,
    geo: 1,
    bio: 1,
    phys: 2,
    chem: 1,
    obzr: 1,
    pe: 2,
    proj: 1,
  },
  11: {
    rus: 2,
    lit: 3,
    eng: 3,
    alg: 4,
    geom: 3,
    prob: 1,
    inf: 1,
    hist: 2,
    soc: 2,
    geo: 1,
    bio: 1,
    phys: 2,
    chem: 1,
    obzr: 1,
    pe: 2,
  },
};

export interface WorkPlan {
  kind: WorkKind;
  title: string;
  weight?: number;
}

/** Works assessed in every quarter (grades 2–11). Every subject has at least one written-type work. */
export const QUARTER_WORKS: Record<string, readonly WorkPlan[]> = {
  rus: [
    { kind: "control", title: "Контрольный диктант", weight: 2 },
    { kind: "written", title: "Самостоятельная работа" },
    { kind: "written", title: "Словарный диктант" },
  ],
  lit: [
    { kind: "written", title: "Сочинение" },
    { kind: "oral", title: "Чтение наизусть" },
  ],
  litread: [
    { kind: "test", title: "Проверочная работа" },
    { kind: "oral", title: "Чтение наизусть" },
  ],
  math: [
    { kind: "control", title: "Контрольная работа", weight: 2 },
    { kind: "written", title: "Самостоятельная работа" },
  ],
  alg: [
    { kind: "control", title: "Контрольная работа", weight: 2 },
    { kind: "written", title: "Самостоятельная работа" },
  ],
  geom: [
    { kind: "control", title: "Контрольная работа", weight: 2 },
    { kind: "written", title: "Самостоятельная работа" },
  ],
  prob: [{ kind: "test", title: "Тест" }],
  phys: [
    { kind: "lab", title: "Лабораторная работа" },
    { kind: "control", title: "Контрольная работа", weight: 2 },
  ],
  chem: [
    { kind: "lab", title: "Практическая работа" },
    { kind: "control", title: "Контрольная работа", weight: 2 },
  ],
  bio: [
    { kind: "lab", title: "Лабораторная работа" },
    { kind: "test", title: "Тест" },
  ],
  hist: [
    { kind: "test", title: "Тест" },
    { kind: "written", title: "Проверочная работа" },
  ],
  soc: [{ kind: "test", title: "Тест" }],
  geo: [
    { kind: "practical", title: "Практическая работа" },
    { kind: "test", title: "Тест" },
  ],
  eng: [
    { kind: "test", title: "Словарный диктант" },
    { kind: "control", title: "Контрольная работа", weight: 2 },
  ],
  inf: [{ kind: "practical", title: "Практическая работа на компьютере" }],
  pe: [{ kind: "practical", title: "Сдача нормативов" }],
  art: [{ kind: "practical", title: "Творческая работа" }],
  music: [{ kind: "test", title: "Музыкальная викторина" }],
  tech: [{ kind: "practical", title: "Практическая работа" }],
  obzr: [{ kind: "test", title: "Тест" }],
  world: [{ kind: "test", title: "Проверочная работа" }],
  proj: [{ kind: "practical", title: "Защита этапа проекта" }],
};

/** Kinds that count as a control/written work for `control-work.missing` and `mark.written.late`. */
export const WRITTEN_KINDS: ReadonlySet<WorkKind> = new Set([
  "written",
  "test",
  "control",
  "lab",
  "practical",
]);

const TOPICS: Record<string, readonly string[]> = {
  rus: [
    "Повторение изученного в начальной школе",
    "Орфограммы в корне слова",
    "Безударные гласные в корне",
    "Правописание приставок",
    "Части речи",
    "Имя существительное как часть речи",
    "Склонение имён существительных",
    "Имя прилагательное",
    "Глагол: время и вид",
    "Синтаксис и пунктуация",
    "Словосочетание",
    "Простое предложение",
    "Однородные члены предложения",
    "Обращение",
    "Прямая речь",
    "Развитие речи: изложение",
  ],
  lit: [
    "Устное народное творчество",
    "Русские народные сказки",
    "Басни И. А. Крылова",
    "А. С. Пушкин. Жизнь и творчество",
    "М. Ю. Лермонтов. «Бородино»",
    "Н. В. Гоголь. «Вечера на хуторе близ Диканьки»",
    "И. С. Тургенев. «Муму»",
    "Н. А. Некрасов. Стихотворения",
    "Л. Н. Толстой. «Кавказский пленник»",
    "А. П. Чехов. Рассказы",
    "Поэзия XX века",
    "Внеклассное чтение",
  ],
  litread: [
    "Малые жанры фольклора",
    "Русские народные сказки",
    "Стихи русских поэтов о природе",
    "Рассказы о детях",
    "Басни",
    "Произведения о животных",
    "Литературная сказка",
    "Внеклассное чтение",
  ],
  math: [
    "Натуральные числа",
    "Сложение и вычитание",
    "Умножение и деление",
    "Решение текстовых задач",
    "Обыкновенные дроби",
    "Десятичные дроби",
    "Проценты",
    "Площадь и периметр",
    "Уравнения",
    "Координатная прямая",
  ],
  alg: [
    "Выражения и их преобразования",
    "Линейное уравнение с одной переменной",
    "Функции и их графики",
    "Степень с натуральным показателем",
    "Многочлены",
    "Формулы сокращённого умножения",
    "Системы линейных уравнений",
    "Квадратные корни",
    "Квадратные уравнения",
    "Неравенства",
  ],
  geom: [
    "Начальные геометрические сведения",
    "Треугольники",
    "Признаки равенства треугольников",
    "Параллельные прямые",
    "Соотношения между сторонами и углами треугольника",
    "Четырёхугольники",
    "Площадь многоугольника",
    "Подобные треугольники",
    "Окружность",
  ],
  prob: [
    "Представление данных",
    "Описательная статистика",
    "Случайная изменчивость",
    "Случайные события и вероятность",
    "Элементы комбинаторики",
  ],
  phys: [
    "Физика и физические методы изучения природы",
    "Строение вещества",
    "Механическое движение",
    "Масса тела. Плотность вещества",
    "Сила. Закон Гука",
    "Давление твёрдых тел, жидкостей и газов",
    "Работа и мощность",
    "Тепловые явления",
    "Электрические явления",
  ],
  chem: [
    "Предмет химии",
    "Атомы и молекулы",
    "Химические формулы",
    "Валентность",
    "Химические реакции",
    "Кислород. Оксиды",
    "Водород",
    "Вода. Растворы",
    "Основные классы неорганических соединений",
  ],
  bio: [
    "Биология — наука о живой природе",
    "Клеточное строение организмов",
    "Ткани растений и животных",
    "Строение растений",
    "Жизнедеятельность организмов",
    "Многообразие животных",
    "Экосистемы",
    "Человек и его здоровье",
  ],
  hist: [
    "Первобытность",
    "Древний Египет",
    "Древняя Греция",
    "Древний Рим",
    "Русь в IX — начале XII века",
    "Московское государство",
    "Эпоха Петра I",
    "Россия в XIX веке",
    "Россия в XX веке",
  ],
  soc: [
    "Человек и общество",
    "Деятельность человека",
    "Общение",
    "Право и правоотношения",
    "Экономика и её роль в жизни общества",
    "Политическая сфера",
    "Гражданин и государство",
  ],
  geo: [
    "Географическое познание Земли",
    "План местности",
    "Географическая карта",
    "Литосфера",
    "Гидросфера",
    "Атмосфера",
    "Биосфера",
    "Население России",
    "Хозяйство России",
  ],
  eng: [
    "Me and my family",
    "My school",
    "Free time",
    "Food and drinks",
    "Travelling",
    "The world around us",
    "Present Simple и Present Continuous",
    "Past Simple",
    "Future Simple",
    "Модальные глаголы",
  ],
  inf: [
    "Информация и информационные процессы",
    "Компьютер — универсальное устройство",
    "Файлы и файловая система",
    "Системы счисления",
    "Алгоритмы и исполнители",
    "Программирование на Python",
    "Обработка текстовой информации",
    "Сети и интернет",
  ],
  pe: [
    "Инструктаж по технике безопасности",
    "Лёгкая атлетика: бег на короткие дистанции",
    "Прыжки в длину",
    "Баскетбол: ведение мяча",
    "Волейбол: передача мяча",
    "Гимнастика",
    "Лыжная подготовка",
    "Общая физическая подготовка",
  ],
  art: [
    "Цветоведение",
    "Рисунок с натуры",
    "Декоративно-прикладное искусство",
    "Народные промыслы",
    "Пейзаж",
    "Портрет",
    "Натюрморт",
  ],
  music: [
    "Музыка и литература",
    "Народная музыка",
    "Русская классическая музыка",
    "Музыкальные инструменты",
    "Жанры музыки",
    "Музыка в кино и театре",
  ],
  tech: [
    "Технология как наука",
    "Материалы и их свойства",
    "Ручная обработка материалов",
    "Черчение и графика",
    "Робототехника",
    "Проектная деятельность",
  ],
  obzr: [
    "Безопасность в быту",
    "Безопасность на дорогах",
    "Первая помощь",
    "Безопасность в общественных местах",
    "Основы обороны государства",
    "Чрезвычайные ситуации",
  ],
  world: [
    "Мы и наш мир",
    "Природа и её сезонные изменения",
    "Растения и животные",
    "Человек и здоровье",
    "Наша Родина — Россия",
    "Правила безопасной жизни",
  ],
  proj: [
    "Выбор темы проекта",
    "Постановка цели и задач",
    "Работа с источниками",
    "Планирование исследования",
    "Оформление результатов",
  ],
};

/** Grades 1–4 learn Russian and maths from their own programme. */
const PRIMARY_TOPICS: Record<string, readonly string[]> = {
  rus: [
    "Звуки и буквы",
    "Слог. Ударение",
    "Гласные и согласные звуки",
    "Правописание жи–ши, ча–ща, чу–щу",
    "Парные согласные",
    "Предложение",
    "Текст",
    "Слово и его значение",
    "Имя существительное",
    "Глагол",
  ],
  math: [
    "Счёт предметов",
    "Числа от 1 до 10",
    "Сложение и вычитание в пределах 10",
    "Числа от 11 до 20",
    "Задача",
    "Длина. Сантиметр",
    "Таблица умножения",
    "Внетабличное умножение",
    "Деление с остатком",
  ],
};

/** The topic of the n-th lesson of a subject in a class of a grade (n from 0). */
export function lessonTopic(subjectId: string, n: number, grade: number): string {
  const list = (grade <= 4 ? PRIMARY_TOPICS[subjectId] : undefined) ?? TOPICS[subjectId] ?? ["Урок"];
  const topic = list[Math.floor(n / 4) % list.length];
  return n % 4 === 3 ? `${topic}. Закрепление` : topic;
}

/** A homework text in the style teachers write it. */
export function homeworkText(rng: Rng, subjectId: string): string {
  const p = rng.int(1, 45);
  switch (subjectId) {
    case "rus":
      return rng.chance(0.5)
        ? `§ ${p}, упр. ${rng.int(20, 480)}`
        : `Упр. ${rng.int(20, 480)}, выучить правило`;
    case "lit":
    case "litread":
      return rng.chance(0.6)
        ? `Читать с. ${rng.int(10, 220)}–${rng.int(221, 260)}`
        : "Выучить стихотворение наизусть";
    case "math":
    case "alg":
    case "geom":
      return `№ ${rng.int(10, 900)}, ${rng.int(10, 900)}`;
    case "eng":
      return `Ex. ${rng.int(1, 12)} p. ${rng.int(10, 140)}, слова`;
    case "phys":
    case "chem":
    case "bio":
    case "hist":
    case "soc":
    case "geo":
    case "obzr":
    case "world":
      return rng.chance(0.7) ? `§ ${p}, вопросы после параграфа` : `§ ${p}, подготовить сообщение`;
    case "inf":
      return `§ ${p}, задание ${rng.int(1, 10)} в рабочей тетради`;
    case "prob":
      return `Задачи ${rng.int(1, 120)}–${rng.int(121, 140)}`;
    case "proj":
      return "Подготовить план работы над проектом";
    default:
      return "Подготовить материалы к уроку";
  }
}
