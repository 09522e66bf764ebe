// The user's own notification channels (GET/PUT /api/v1/me/channels).
import { Button, Group, Paper, Stack, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { api } from "../api.ts";
import { useApi } from "../useApi.ts";

interface Channels {
  email?: string | null;
  telegramChatId?: string | null;
}

export function ChannelsForm() {
  const { data } = useApi<Channels>("/api/v1/me/channels");
  const [email, setEmail] = useState("");
  const [telegram, setTelegram] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setEmail(data?.email ?? "");
    setTelegram(data?.telegramChatId ?? "");
  }, [data]);

  async function save() {
    setBusy(true);
    try {
      await api.put("/api/v1/me/channels", {
        email: email.trim(),
        telegramChatId: telegram.trim(),
      });
      notifications.show({ color: "green", message: "Каналы уведомлений сохранены." });
    } catch {
      // shown by the notification
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" maw={520}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            Мои каналы уведомлений
          </Title>
          <TextInput
            label="Электронная почта"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <TextInput
            label="Telegram: идентификатор чата"
            description="Число, которое бот школы сообщает в ответ на /start, или @имя канала."
            value={telegram}
            onChange={(e) => setTelegram(e.currentTarget.value)}
          />
          <Group>
            <Button type="submit" loading={busy}>
              Сохранить
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
