// Small pieces every page uses: the page heading, the loading/error state and the pager.
import { Alert, Center, Group, Loader, Pagination, Table, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { ApiError } from "../api.ts";

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap">
      <Title order={1} size="h2">
        {title}
      </Title>
      {children && <Group gap="xs">{children}</Group>}
    </Group>
  );
}

export function LoadState({ loading, error, empty }: { loading: boolean; error: unknown; empty?: boolean }) {
  if (error) {
    const text =
      error instanceof ApiError
        ? `${error.problem.title}${error.problem.detail ? `: ${error.problem.detail}` : ""}`
        : "Не удалось загрузить данные.";
    return (
      <Alert color="red" role="alert" my="sm">
        {text}
      </Alert>
    );
  }
  if (loading && empty !== false) {
    return (
      <Center p="md">
        <Loader size="sm" aria-label="Загрузка" />
      </Center>
    );
  }
  if (empty) {
    return (
      <Text c="dimmed" my="sm">
        Нет данных.
      </Text>
    );
  }
  return null;
}

export function Pager({
  total,
  page,
  pageSize,
  onChange,
}: {
  total: number;
  page: number;
  pageSize: number;
  onChange(page: number): void;
}) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  return (
    <Group justify="space-between" mt="sm" wrap="wrap">
      <Text size="sm" c="dimmed">
        Всего: {total.toLocaleString("ru-RU")}
      </Text>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={onChange}
          size="sm"
          getControlProps={(control) => ({
            "aria-label":
              control === "next"
                ? "Следующая страница"
                : control === "previous"
                  ? "Предыдущая страница"
                  : control === "first"
                    ? "Первая страница"
                    : "Последняя страница",
          })}
          getItemProps={(p) => ({ "aria-label": `Страница ${p}` })}
        />
      )}
    </Group>
  );
}

/** A table that scrolls sideways on a narrow screen instead of squeezing its columns. */
export function ScrollTable({
  caption,
  minWidth = 640,
  children,
}: {
  caption: string;
  minWidth?: number;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label={caption}>
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}
