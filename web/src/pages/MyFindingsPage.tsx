import { Text } from "@mantine/core";
import { PageHeader } from "../components/common.tsx";
import { FindingsTable } from "../components/FindingsTable.tsx";

export default function MyFindingsPage() {
  return (
    <>
      <PageHeader title="Мои замечания" />
      <Text size="sm" c="dimmed" mb="sm">
        Что нужно исправить в журнале и до какого срока. Нажмите на замечание, чтобы увидеть подробности.
      </Text>
      <FindingsTable teacherView />
    </>
  );
}
