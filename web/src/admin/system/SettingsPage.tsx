import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { can } from '../../auth/permissions';
import { useMe } from '../../auth/useMe';
import { PageHeader } from '../../components/PageHeader';
import type { Portal } from '../../shell/nav';
import { getOverview, switchKeys } from './switch/api';
import { EngineCard } from './switch/EngineCard';

/**
 * Platform settings. The integrations are configured in the server's settings (secrets never pass
 * through the browser); this page shows what is in use and checks the connections.
 */
export function SettingsPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Settings · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const overview = useQuery({ queryKey: switchKeys.overview(), queryFn: getOverview });
  return (
    <>
      <PageHeader title="Settings" description="The integrations in use, and a check of each connection." />
      <Stack gap="sm" maw={960}>
        <Title order={2} size="h4">
          Softswitch
        </Title>
        <Text size="sm" c="dimmed">
          The driver and its credentials are set in the server’s configuration (<code>switch_driver</code>, <code>connexcs_username</code>,{' '}
          <code>DIDTRON_CONNEXCS_PASSWORD</code>), so the password never passes through a browser. Pushes, failures and reconciliation are on{' '}
          <Anchor component={Link} to="/admin/system/switch">
            Switch sync
          </Anchor>
          .
        </Text>
        <EngineCard overview={overview.data} canManage={can(me, 'config.manage')} />
      </Stack>
    </>
  );
}
