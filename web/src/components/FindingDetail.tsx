// One finding: its evidence in words, the clause, the deadline, what to fix, its history; the deputy
// may waive it with a reason or reopen it. Used by the inbox's drawer and by /findings/:id.
import {
  Alert,
  Badge,
  Button,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { api } from "../api.ts";
import { FINDING_STATUS, fmtDate, fmtDateTime, label } from "../format.ts";
import { may, useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";
import { Field, LoadState } from "./common.tsx";
import { type FindingDetailView, HISTORY_KIND } from "./findings.ts";

/** What a history event says in words: the reason of a waive/reopen, the escalation level. */
function historyNote(detail: Record<string, unknown> | string | null | undefined): string {
  if (!detail) return "";
  if (typeof detail === "string") return detail;
  const parts: string[] = [];
  if (typeof detail.reason === "string") parts.push(`Причина: ${detail.reason}`);
  if (typeof detail.level === "number") parts.push(`уровень ${detail.level}`);
  if (typeof detail.message === "string") parts.push(detail.message);
  return parts.join("; ");
}

export function FindingDetail({ id, onChanged }: { id: string; onChanged?: () => void }) {
  const { user, base } = useSchool();
  const path = `${base}/findings/${encodeURIComponent(id)}`;
  const { data, error, loading, reload } = useApi<FindingDetailView>(path);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const canChange = may(user.role, "findings.change");

  if (!data) return <LoadState loading={loading} error={error} />;
  const status = FINDING_STATUS[data.status];
  const level = Number(data.level ?? 0);

  async function act(action: "waive" | "reopen") {
    setBusy(true);
    try {
      await api.post(`${path}/${action}`, action === "waive" ? { reason: reason.trim() } : {});
      notifications.show({
        color: "green",
        message: action === "waive" ? "Нарушение снято." : "Нарушение открыто снова.",
      });
      setReason("");
      reload();
      onChanged?.();
    } catch {
      // the notification already shows the server's problem
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md">
      <Group gap="xs">
        <Badge color={status?.color ?? "gray"}>{label(FINDING_STATUS, data.status)}</Badge>
        {level > 0 && <Badge color="orange">Эскалация: уровень {level}</Badge>}
        <Badge variant="outline">{data.clause}</Badge>
      </Group>
      <Title order={2} size="h4">
        {data.ruleTitle}
      </Title>
      <Text>{data.message}</Text>
      {data.evidenceText && (
        <Alert color="orange" title="Доказательство">
          {data.evidenceText}
        </Alert>
      )}
      {data.whatToFix && (
        <Alert color="blue" title="Что исправить">
          {data.whatToFix}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Field label="Учитель">{data.teacherName ?? "—"}</Field>
        <Field label="Класс">{data.className ?? "—"}</Field>
        <Field label="Предмет">{data.subjectName ?? "—"}</Field>
        <Field label="Дата урока / работы">{fmtDate(data.date)}</Field>
        <Field label="Срок">{fmtDateTime(data.deadline)}</Field>
        <Field label="Выявлено">{fmtDateTime(data.detectedAt)}</Field>
        {data.resolvedAt && <Field label="Закрыто">{fmtDateTime(data.resolvedAt)}</Field>}
      </SimpleGrid>

      <div>
        <Title order={3} size="h5" mb="xs">
          История
        </Title>
        {data.history && data.history.length > 0 ? (
          <Timeline bulletSize={14} lineWidth={2} aria-label="История нарушения">
            {data.history.map((h) => (
              <Timeline.Item key={`${h.at}-${h.kind}-${h.detail ?? ""}`} title={label(HISTORY_KIND, h.kind)}>
                <Text size="xs" c="dimmed">
                  {fmtDateTime(h.at)}
                  {h.byName || h.by ? ` · ${h.byName ?? h.by}` : ""}
                </Text>
                {historyNote(h.detail) && <Text size="sm">{historyNote(h.detail)}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        ) : (
          <Text size="sm" c="dimmed">
            Событий пока нет.
          </Text>
        )}
      </div>

      {canChange && data.status === "open" && (
        <Stack gap="xs">
          <Textarea
            label="Причина снятия"
            description="От 3 до 1000 символов; попадёт в историю и журнал аудита."
            minRows={2}
            autosize
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group>
            <Button
              color="gray"
              loading={busy}
              disabled={reason.trim().length < 3}
              onClick={() => act("waive")}
            >
              Снять нарушение
            </Button>
          </Group>
        </Stack>
      )}
      {canChange && data.status === "waived" && (
        <Group>
          <Button variant="light" loading={busy} onClick={() => act("reopen")}>
            Открыть снова
          </Button>
        </Group>
      )}
    </Stack>
  );
}
