// The shell: login when nobody is signed in, else a responsive AppShell (burger menu on a phone) whose
// menu lists only the pages the role may open; every page is its own chunk, loaded on first visit.
import {
  AppShell,
  Burger,
  Button,
  Center,
  Group,
  Loader,
  NativeSelect,
  NavLink,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { type ComponentType, lazy, Suspense, useEffect, useRef } from "react";
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { onUnauthorized } from "./api.ts";
import { PAGES } from "./nav.ts";
import { LoginPage } from "./pages/LoginPage.tsx";
import { may, useSession } from "./session.tsx";

const PAGE_COMPONENTS: Record<string, ComponentType> = {
  "/findings": lazy(() => import("./pages/FindingsPage.tsx")),
  "/my": lazy(() => import("./pages/MyFindingsPage.tsx")),
  "/compliance": lazy(() => import("./pages/CompliancePage.tsx")),
  "/incidents": lazy(() => import("./pages/IncidentsPage.tsx")),
  "/escalation": lazy(() => import("./pages/EscalationPage.tsx")),
  "/reports": lazy(() => import("./pages/ReportsPage.tsx")),
  "/analytics": lazy(() => import("./pages/AnalyticsPage.tsx")),
  "/sources": lazy(() => import("./pages/SourcesPage.tsx")),
  "/jobs": lazy(() => import("./pages/JobsPage.tsx")),
  "/users": lazy(() => import("./pages/UsersPage.tsx")),
  "/archive": lazy(() => import("./pages/ArchivePage.tsx")),
  "/audit": lazy(() => import("./pages/AuditPage.tsx")),
  "/channels": lazy(() => import("./pages/ChannelsPage.tsx")),
};
const FindingPage = lazy(() => import("./pages/FindingPage.tsx"));

function Loading() {
  return (
    <Center p="xl" aria-live="polite">
      <Loader aria-label="Загрузка" />
    </Center>
  );
}

export function App() {
  const { user, expired } = useSession();
  const navigate = useNavigate();
  const location = useLocation();

  useEffect(
    () =>
      onUnauthorized(() => {
        expired();
        navigate("/login", { state: { from: location.pathname }, replace: true });
      }),
    [expired, navigate, location.pathname],
  );

  if (user === undefined) return <Loading />;
  if (user === null) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname }} />} />
      </Routes>
    );
  }
  return <Shell />;
}

function Shell() {
  const { user, schoolId, setSchoolId, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  const main = useRef<HTMLElement>(null);
  if (!user) return null;

  const pages = PAGES.filter(
    (p) => may(user.role, p.permission) && (!p.roles || p.roles.includes(user.role)),
  );
  const home = pages[0]?.path ?? "/nothing";
  // Just signed in at /login: back to the page that asked for it (a finding's link from an e-mail).
  const back = (location.state as { from?: string } | null)?.from;
  const afterLogin = back && back !== "/login" && back !== "/" ? back : home;
  const current = pages.find((p) => location.pathname.startsWith(p.path));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        Перейти к содержимому
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? "Закрыть меню" : "Открыть меню"}
            />
            <Text fw={700} size="lg" component={Link} to={home}>
              Регламент
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {user.schools.length > 1 && (
              <NativeSelect
                aria-label="Школа"
                size="xs"
                value={schoolId}
                onChange={(e) => setSchoolId(e.currentTarget.value)}
                data={user.schools.map((s) => ({ value: s.id, label: s.name }))}
              />
            )}
            <Stack gap={0} visibleFrom="sm" align="flex-end">
              <Text size="sm" fw={500}>
                {user.displayName}
              </Text>
              <Text size="xs" c="dimmed">
                {user.roleLabel}
              </Text>
            </Stack>
            <Button
              variant="subtle"
              size="xs"
              onClick={async () => {
                await signOut();
                navigate("/login");
              }}
            >
              Выйти
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Разделы консоли" component="nav">
        {pages.map((p) => (
          <NavLink
            key={p.path}
            component={Link}
            to={p.path}
            label={p.label}
            active={current?.path === p.path}
            aria-current={current?.path === p.path ? "page" : undefined}
            onClick={() => {
              close();
              main.current?.focus();
            }}
          />
        ))}
        {user.schools.length === 1 && (
          <Text size="xs" c="dimmed" mt="auto" p="xs">
            {user.schools[0]?.name}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={main} tabIndex={-1} style={{ outline: "none" }}>
        <Suspense fallback={<Loading />}>
          <Routes>
            {pages.map((p) => {
              const Page = PAGE_COMPONENTS[p.path]!;
              return <Route key={p.path} path={`${p.path}/*`} element={<Page />} />;
            })}
            {may(user.role, "findings.read") && <Route path="/findings/:id" element={<FindingPage />} />}
            <Route path="/login" element={<Navigate to={afterLogin} replace />} />
            <Route path="/" element={<Navigate to={home} replace />} />
            <Route
              path="*"
              element={
                <Stack>
                  <Title order={1}>Страница не найдена</Title>
                  <Text>
                    Этой страницы нет или она недоступна вашей роли. <Link to={home}>На главную</Link>
                  </Text>
                </Stack>
              }
            />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
