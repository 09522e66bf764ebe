import { PageHeader } from "../components/common.tsx";
import { FindingsTable } from "../components/FindingsTable.tsx";

export default function FindingsPage() {
  return (
    <>
      <PageHeader title="Нарушения" />
      <FindingsTable />
    </>
  );
}
