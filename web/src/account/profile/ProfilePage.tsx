import { SimpleGrid, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { PageHeader } from '../../components/PageHeader';
import type { Portal } from '../../shell/nav';
import { KeysToReview } from './KeysToReview';
import { LoginHistoryCard } from './LoginHistoryCard';
import { NameCard } from './NameCard';
import { PasswordCard } from './PasswordCard';
import { SessionsCard } from './SessionsCard';
import { TwoFactorCard } from './TwoFactorCard';

/** Profile & security, the same in every portal: name, password, 2FA, sessions, sign-in history. */
export function ProfilePage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Profile & security · ${portal.name} · DIDtron`);
  return (
    <>
      <PageHeader
        title="Profile & security"
        description="Your name, password, two-factor authentication, where you are signed in and your sign-in history."
      />
      <Stack gap="lg">
        <KeysToReview />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <NameCard />
          <PasswordCard />
        </SimpleGrid>
        <TwoFactorCard />
        <SessionsCard />
        <LoginHistoryCard />
      </Stack>
    </>
  );
}
