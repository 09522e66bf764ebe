// /findings/:id — the deep link escalation e-mails and Telegram messages point to.
import { Anchor, Paper } from "@mantine/core";
import { Link, useParams } from "react-router-dom";
import { PageHeader } from "../components/common.tsx";
import { FindingDetail } from "../components/FindingDetail.tsx";
import { useSchool } from "../session.tsx";

export default function FindingPage() {
  const { id = "" } = useParams();
  const { user } = useSchool();
  const back = user.role === "teacher" ? "/my" : "/findings";
  return (
    <>
      <PageHeader title={user.role === "teacher" ? "Замечание" : "Нарушение"}>
        <Anchor component={Link} to={back}>
          {user.role === "teacher" ? "Все мои замечания" : "Все нарушения"}
        </Anchor>
      </PageHeader>
      <Paper withBorder p="md" maw={760}>
        <FindingDetail id={id} />
      </Paper>
    </>
  );
}
