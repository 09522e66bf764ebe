// A day picker in the school's Russian format (дд.мм.гггг, Russian month names, weeks from Monday),
// whatever the browser's language: Mantine's DateInput under the DatesProvider of main.tsx. The value
// stays the API's `YYYY-MM-DD` ("" when cleared), so filters pass it on unchanged.
import { DateInput, MonthPickerInput } from "@mantine/dates";
import dayjs from "dayjs";

/** Typed input: 17.09.2026, 17.9.2026 or 2026-09-17. */
function parseDay(text: string): string | null {
  const t = text.trim();
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  const iso = ru ? `${ru[3]}-${ru[2].padStart(2, "0")}-${ru[1].padStart(2, "0")}` : t;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && dayjs(iso).format("YYYY-MM-DD") === iso ? iso : null;
}

interface PickerProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  description?: string;
}

export function DayInput({ label, value, onChange, required, description }: PickerProps) {
  return (
    <DateInput
      label={label}
      required={required}
      description={description}
      value={value || null}
      onChange={(d) => onChange(d ? String(d).slice(0, 10) : "")}
      valueFormat="DD.MM.YYYY"
      dateParser={parseDay}
      placeholder="дд.мм.гггг"
      clearable
      popoverProps={{ withinPortal: true }}
    />
  );
}

/** A month («сентябрь 2026»); the value is the API's `YYYY-MM`. */
export function MonthInput({ label, value, onChange, required, description }: PickerProps) {
  return (
    <MonthPickerInput
      label={label}
      required={required}
      description={description}
      value={value ? `${value}-01` : null}
      onChange={(d) => onChange(d ? String(d).slice(0, 7) : "")}
      valueFormat="MMMM YYYY"
      placeholder="Выберите месяц"
      clearable={!required}
      popoverProps={{ withinPortal: true }}
    />
  );
}
