// Эскалация: the ladder, own channels, the outbox with each message previewed as its recipient sees
// it (e-mail and Telegram), and the demo's local mailbox.
import { Badge, Code, Modal, Paper, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useState } from "react";
import { itemsOf, type Page } from "../api.ts";
import { ChannelsForm } from "../components/ChannelsForm.tsx";
import { LoadState, PageHeader, Pager, ScrollTable } from "../components/common.tsx";
import { fmtDateTime } from "../format.ts";
import { useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface Ladder {
  ladder: { level: number; who: string; afterDays: number; stepDays: number | null }[];
  config?: { presetTitle?: string; quietHours?: { from: string; to: string } };
}
interface Message {
  id: string | number;
  kind?: string;
  channel?: string;
  recipientRole?: string | null;
  recipientRoleLabel?: string | null;
  lastError?: string | null;
  recipientName?: string;
  subject?: string;
  status?: string;
  createdAt?: string;
}
interface Preview {
  email?: { subject: string; html: string | null; text: string } | null;
  telegram?: { text: string } | null;
}
interface MailItem {
  id: string;
  to: string;
  subject: string;
  date: string | null;
}
interface Mail {
  headers: Record<string, string> | [string, string][];
  text?: string;
  html?: string;
}

const MESSAGE_STATUS: Record<string, string> = {
  pending: "Ожидает",
  sending: "Отправляется",
  sent: "Отправлено",
  delivered: "Доставлено",
  failed: "Ошибка",
  skipped: "Пропущено",
};

function HtmlFrame({ html, title }: { html: string; title: string }) {
  // sandboxed: the message's HTML cannot run scripts or reach the console
  return (
    <iframe
      title={title}
      sandbox=""
      srcDoc={html}
      style={{ width: "100%", minHeight: 320, border: "1px solid var(--mantine-color-gray-3)" }}
    />
  );
}

function MessagePreview({ path }: { path: string }) {
  const { data, error, loading } = useApi<Preview>(path);
  if (!data) return <LoadState loading={loading} error={error} />;
  return (
    <Tabs defaultValue={data.email ? "email" : "telegram"}>
      <Tabs.List>
        {data.email && <Tabs.Tab value="email">Электронная почта</Tabs.Tab>}
        {data.telegram && <Tabs.Tab value="telegram">Telegram</Tabs.Tab>}
      </Tabs.List>
      {data.email && (
        <Tabs.Panel value="email" pt="sm">
          <Stack gap="xs">
            <Text size="sm">
              <b>Тема:</b> {data.email.subject}
            </Text>
            {data.email.html ? (
              <HtmlFrame html={data.email.html} title="Письмо, как его увидит получатель" />
            ) : (
              <Paper withBorder p="sm">
                <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                  {data.email.text}
                </Text>
              </Paper>
            )}
          </Stack>
        </Tabs.Panel>
      )}
      {data.telegram && (
        <Tabs.Panel value="telegram" pt="sm">
          <Paper withBorder p="sm" bg="blue.0" maw={420}>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {data.telegram.text}
            </Text>
          </Paper>
        </Tabs.Panel>
      )}
    </Tabs>
  );
}

function Messages() {
  const { base } = useSchool();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Message | null>(null);
  const phone = useMediaQuery("(max-width: 48em)");
  const list = useApi<Page<Message>>(`${base}/messages`, { page, pageSize: 25 });
  const items = itemsOf(list.data);
  return (
    <>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && items.length === 0} />
      {items.length > 0 && (
        <ScrollTable caption="Сообщения эскалации" minWidth={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Создано</Table.Th>
              <Table.Th>Получатель</Table.Th>
              <Table.Th>Тема</Table.Th>
              <Table.Th>Статус</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => (
              <Table.Tr key={m.id} className="clickable-row" onClick={() => setOpen(m)}>
                <Table.Td>{fmtDateTime(m.createdAt)}</Table.Td>
                <Table.Td>
                  {m.recipientName ?? "—"}
                  {(m.recipientRoleLabel ?? m.recipientRole) && (
                    <Text size="xs" c="dimmed">
                      {m.recipientRoleLabel ?? m.recipientRole}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text
                    component="button"
                    type="button"
                    size="sm"
                    ta="left"
                    style={{ background: "none", border: 0, padding: 0, cursor: "pointer", color: "inherit" }}
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpen(m);
                    }}
                  >
                    {m.subject ?? m.kind ?? "Сообщение"}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={m.status === "failed" ? "red" : "gray"}>
                    {MESSAGE_STATUS[m.status ?? ""] ?? m.status ?? "—"}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {list.data && !Array.isArray(list.data) && (
        <Pager total={list.data.total} page={page} pageSize={list.data.pageSize} onChange={setPage} />
      )}
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title="Как сообщение увидит получатель"
        size="xl"
        fullScreen={phone}
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        {open && <MessagePreview path={`${base}/messages/${encodeURIComponent(String(open.id))}/preview`} />}
      </Modal>
    </>
  );
}

function Mailbox() {
  const { base } = useSchool();
  const [open, setOpen] = useState<string | null>(null);
  const phone = useMediaQuery("(max-width: 48em)");
  const list = useApi<MailItem[] | Page<MailItem>>(`${base}/mailbox`);
  const mail = useApi<Mail>(open === null ? null : `${base}/mailbox/${encodeURIComponent(open)}`);
  const items = itemsOf(list.data);
  const headers = mail.data
    ? Array.isArray(mail.data.headers)
      ? mail.data.headers
      : Object.entries(mail.data.headers ?? {})
    : [];
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        Письма, которые демо-сервер доставил в локальный почтовый ящик.
      </Text>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && items.length === 0} />
      {items.length > 0 && (
        <ScrollTable caption="Почтовый ящик" minWidth={600}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Дата</Table.Th>
              <Table.Th>Кому</Table.Th>
              <Table.Th>Тема</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => (
              <Table.Tr key={m.id} className="clickable-row" onClick={() => setOpen(m.id)}>
                <Table.Td>{fmtDateTime(m.date)}</Table.Td>
                <Table.Td>{m.to}</Table.Td>
                <Table.Td>
                  <Text
                    component="button"
                    type="button"
                    size="sm"
                    ta="left"
                    style={{ background: "none", border: 0, padding: 0, cursor: "pointer", color: "inherit" }}
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpen(m.id);
                    }}
                  >
                    {m.subject}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title="Письмо"
        size="xl"
        fullScreen={phone}
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        <LoadState loading={mail.loading} error={mail.error} />
        {mail.data && (
          <Stack gap="xs">
            <Code block>{headers.map(([k, v]) => `${k}: ${v}`).join("\n")}</Code>
            {mail.data.html ? (
              <HtmlFrame html={mail.data.html} title="Текст письма" />
            ) : (
              <Text style={{ whiteSpace: "pre-wrap" }}>{mail.data.text}</Text>
            )}
          </Stack>
        )}
      </Modal>
    </>
  );
}

function LadderTable() {
  const { base } = useSchool();
  const { data, error, loading } = useApi<Ladder>(`${base}/escalation`);
  if (!data) return <LoadState loading={loading} error={error} />;
  return (
    <>
      {data.config?.presetTitle && (
        <Text size="sm" c="dimmed" mb="xs">
          Набор правил: {data.config.presetTitle}
          {data.config.quietHours
            ? `; сообщения доставляются с ${data.config.quietHours.from} до ${data.config.quietHours.to}, остальные ждут утра`
            : ""}
        </Text>
      )}
      <ScrollTable caption="Лестница эскалации" minWidth={480}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Уровень</Table.Th>
            <Table.Th>Кому сообщаем</Table.Th>
            <Table.Th>Рабочих дней после срока</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.ladder.map((l) => (
            <Table.Tr key={l.level}>
              <Table.Td>{l.level}</Table.Td>
              <Table.Td>{l.who}</Table.Td>
              <Table.Td>{l.afterDays}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ScrollTable>
    </>
  );
}

export default function EscalationPage() {
  return (
    <>
      <PageHeader title="Эскалация" />
      <Tabs defaultValue="ladder" keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="ladder">Лестница</Tabs.Tab>
          <Tabs.Tab value="messages">Сообщения</Tabs.Tab>
          <Tabs.Tab value="mailbox">Почтовый ящик</Tabs.Tab>
          <Tabs.Tab value="channels">Мои каналы</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="ladder">
          <Title order={2} size="h4" mb="xs" className="visually-hidden">
            Лестница эскалации
          </Title>
          <LadderTable />
        </Tabs.Panel>
        <Tabs.Panel value="messages">
          <Messages />
        </Tabs.Panel>
        <Tabs.Panel value="mailbox">
          <Mailbox />
        </Tabs.Panel>
        <Tabs.Panel value="channels">
          <ChannelsForm />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
