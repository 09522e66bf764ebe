// Вход: login and password; the server's problem text (wrong password, lockout, rate limit) is shown
// in the form itself, announced to screen readers.
import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { ApiError, api } from "../api.ts";
import { type SessionUser, useSession } from "../session.tsx";

export function LoginPage() {
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<{ title: string; detail?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ user: SessionUser; csrfToken: string }>(
        "/api/v1/session/login",
        { login: login.trim(), password },
        { allow401: true, quiet: true },
      );
      const from = (location.state as { from?: string } | null)?.from;
      signedIn(answer);
      navigate(from && from !== "/login" ? from : "/", { replace: true });
    } catch (e) {
      setError(
        e instanceof ApiError
          ? { title: e.problem.title, detail: e.problem.detail }
          : { title: "Нет связи с сервером", detail: "Проверьте подключение и попробуйте ещё раз." },
      );
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} aria-labelledby="login-title">
          <Stack>
            <Title order={1} size="h2" id="login-title">
              Вход в консоль «Регламент»
            </Title>
            {error && (
              <Alert color="red" title={error.title} role="alert">
                {error.detail}
              </Alert>
            )}
            <TextInput
              label="Логин"
              name="login"
              autoComplete="username"
              required
              autoFocus
              value={login}
              onChange={(e) => setLogin(e.currentTarget.value)}
            />
            <PasswordInput
              label="Пароль"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              Войти
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
