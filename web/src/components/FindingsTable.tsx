// The findings list with its filters, shared by the deputy's inbox and a teacher's «Мои замечания»
// (the server gives a teacher only their own findings; the teacher filter is hidden for them).

import { Badge, Button, Drawer, Group, NativeSelect, SimpleGrid, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useState } from "react";
import type { Page } from "../api.ts";
import { FINDING_STATUS, fmtDate, fmtDateTime, label } from "../format.ts";
import { useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";
import { LoadState, Pager, ScrollTable } from "./common.tsx";
import { DayInput } from "./DayInput.tsx";
import { FindingDetail } from "./FindingDetail.tsx";
import type { Facets, FindingView } from "./findings.ts";

interface Filters {
  status: string;
  teacher: string;
  class: string;
  subject: string;
  rule: string;
  clause: string;
  from: string;
  to: string;
  q: string;
  sort: string;
}

const EMPTY: Filters = {
  status: "open",
  teacher: "",
  class: "",
  subject: "",
  rule: "",
  clause: "",
  from: "",
  to: "",
  q: "",
  sort: "newest",
};

const PAGE_SIZE = 25;

function options(items: { id: string; name?: string; title?: string }[] | undefined, all: string) {
  return [
    { value: "", label: all },
    ...(items ?? []).map((i) => ({ value: i.id, label: i.name ?? i.title ?? i.id })),
  ];
}

export function FindingsTable({ teacherView = false }: { teacherView?: boolean }) {
  const { base } = useSchool();
  const [filters, setFilters] = useState<Filters>(teacherView ? { ...EMPTY, sort: "deadline" } : EMPTY);
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const phone = useMediaQuery("(max-width: 48em)");
  const facets = useApi<Facets>(`${base}/findings/facets`);
  const list = useApi<Page<FindingView>>(`${base}/findings`, { ...filters, page, pageSize: PAGE_SIZE });

  const set = (key: keyof Filters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPage(1);
  };
  const clauses = [...new Set((facets.data?.rules ?? []).map((r) => r.clause).filter(Boolean))] as string[];
  const items = list.data?.items ?? [];

  return (
    <>
      <form aria-label="Фильтры нарушений" onSubmit={(e) => e.preventDefault()}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4, lg: 5 }} spacing="xs" mb="sm">
          <NativeSelect
            label="Статус"
            value={filters.status}
            onChange={(e) => set("status")(e.currentTarget.value)}
            data={[
              { value: "open", label: "Открытые" },
              { value: "resolved", label: "Устранённые" },
              { value: "waived", label: "Снятые" },
              { value: "", label: "Все" },
            ]}
          />
          {!teacherView && (
            <NativeSelect
              label="Учитель"
              value={filters.teacher}
              onChange={(e) => set("teacher")(e.currentTarget.value)}
              data={options(facets.data?.teachers, "Все учителя")}
            />
          )}
          <NativeSelect
            label="Класс"
            value={filters.class}
            onChange={(e) => set("class")(e.currentTarget.value)}
            data={options(facets.data?.classes, "Все классы")}
          />
          <NativeSelect
            label="Предмет"
            value={filters.subject}
            onChange={(e) => set("subject")(e.currentTarget.value)}
            data={options(facets.data?.subjects, "Все предметы")}
          />
          <NativeSelect
            label="Правило"
            value={filters.rule}
            onChange={(e) => set("rule")(e.currentTarget.value)}
            data={options(facets.data?.rules, "Все правила")}
          />
          <NativeSelect
            label="Пункт регламента"
            value={filters.clause}
            onChange={(e) => set("clause")(e.currentTarget.value)}
            data={[{ value: "", label: "Все пункты" }, ...clauses.map((c) => ({ value: c, label: c }))]}
          />
          <DayInput label="С даты" value={filters.from} onChange={set("from")} />
          <DayInput label="По дату" value={filters.to} onChange={set("to")} />
          <NativeSelect
            label="Сортировка"
            value={filters.sort}
            onChange={(e) => set("sort")(e.currentTarget.value)}
            data={[
              { value: "newest", label: "Сначала новые" },
              { value: "severity", label: "Сначала серьёзные" },
              { value: "deadline", label: "По сроку" },
            ]}
          />
          <Group align="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setFilters(teacherView ? { ...EMPTY, sort: "deadline" } : EMPTY);
                setPage(1);
              }}
            >
              Сбросить фильтры
            </Button>
          </Group>
        </SimpleGrid>
      </form>

      <LoadState loading={list.loading} error={list.error} empty={!list.loading && items.length === 0} />
      {items.length > 0 && (
        <ScrollTable caption={teacherView ? "Мои замечания" : "Нарушения"} minWidth={900}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Нарушение</Table.Th>
              {!teacherView && <Table.Th>Учитель</Table.Th>}
              <Table.Th>Класс</Table.Th>
              <Table.Th>Предмет</Table.Th>
              <Table.Th>Дата</Table.Th>
              <Table.Th>{teacherView ? "Исправить до" : "Срок"}</Table.Th>
              <Table.Th>Статус</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((f) => {
              const level = Number(f.level ?? 0);
              return (
                <Table.Tr key={f.id} className="clickable-row" onClick={() => setOpenId(String(f.id))}>
                  <Table.Td>
                    <Text
                      component="button"
                      type="button"
                      size="sm"
                      fw={500}
                      ta="left"
                      style={{
                        background: "none",
                        border: 0,
                        padding: 0,
                        cursor: "pointer",
                        color: "inherit",
                      }}
                      onClick={(e) => {
                        e.stopPropagation();
                        setOpenId(String(f.id));
                      }}
                    >
                      {f.ruleTitle}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {f.clause}
                      {level > 0 ? ` · эскалация, уровень ${level}` : ""}
                    </Text>
                  </Table.Td>
                  {!teacherView && <Table.Td>{f.teacherName ?? "—"}</Table.Td>}
                  <Table.Td>{f.className ?? "—"}</Table.Td>
                  <Table.Td>{f.subjectName ?? "—"}</Table.Td>
                  <Table.Td>{fmtDate(f.date)}</Table.Td>
                  <Table.Td>{fmtDateTime(f.deadline)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    <Badge
                      color={FINDING_STATUS[f.status]?.color ?? "gray"}
                      variant="light"
                      miw="fit-content"
                      styles={{ label: { overflow: "visible", textOverflow: "clip" } }}
                    >
                      {label(FINDING_STATUS, f.status)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </ScrollTable>
      )}
      {list.data && (
        <Pager
          total={list.data.total}
          page={page}
          pageSize={list.data.pageSize || PAGE_SIZE}
          onChange={setPage}
        />
      )}

      <Drawer
        opened={openId !== null}
        onClose={() => setOpenId(null)}
        position="right"
        size={phone ? "100%" : "lg"}
        title={teacherView ? "Замечание" : "Нарушение"}
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        {openId !== null && <FindingDetail id={openId} onChanged={list.reload} />}
      </Drawer>
    </>
  );
}
