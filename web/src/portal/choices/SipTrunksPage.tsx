import { Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconPlugConnected } from '@tabler/icons-react';
import { EmptyPanel } from '../../components/EmptyPanel';
import { PageHeader } from '../../components/PageHeader';
import type { Portal } from '../../shell/nav';
import { ChoicesSection } from './ChoicesSection';

/**
 * The customer's SIP trunks. Trunks themselves come with the voice domain
 * (plan task 25); until then the screen shows what the customer may choose
 * for them.
 */
export function SipTrunksPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`SIP trunks · ${portal.name} · DIDtron`);
  return (
    <>
      <PageHeader title="SIP trunks" description="Connect your PBX or dialer: credentials, allowed IPs, codecs and limits." />
      <Stack gap="lg">
        <ChoicesSection />
        <EmptyPanel icon={IconPlugConnected} title="No trunks yet" description="Create a SIP trunk to start making calls." />
      </Stack>
    </>
  );
}
