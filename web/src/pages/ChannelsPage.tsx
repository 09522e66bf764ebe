import { ChannelsForm } from "../components/ChannelsForm.tsx";
import { PageHeader } from "../components/common.tsx";

export default function ChannelsPage() {
  return (
    <>
      <PageHeader title="Мои уведомления" />
      <ChannelsForm />
    </>
  );
}
