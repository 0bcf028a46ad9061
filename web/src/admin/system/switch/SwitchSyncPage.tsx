import { Alert, Badge, Stack, Tabs } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { problemMessage } from '../../../api/problem';
import { can } from '../../../auth/permissions';
import { useMe } from '../../../auth/useMe';
import { PageHeader } from '../../../components/PageHeader';
import type { Portal } from '../../../shell/nav';
import { getOverview, switchKeys, switchRoot } from './api';
import { CallsPanel } from './CallsPanel';
import { EngineCard } from './EngineCard';
import { PushesPanel } from './PushesPanel';
import { type AwaitedReport, ReconciliationPanel } from './ReconciliationPanel';
import { engineBusy, reportArrived } from './sync';
import { WebhooksPanel } from './WebhooksPanel';

/** How often the page refreshes while pushes wait or a reconciliation runs, and otherwise. */
const BUSY_POLL = 2500;
const IDLE_POLL = 15_000;
/** A reconciliation that has not reported after this long is no longer waited for. */
const REPORT_PATIENCE = 120_000;

const tabs = ['queue', 'calls', 'reconciliation', 'webhooks'] as const;
type Tab = (typeof tabs)[number];

/**
 * Admin → System → Switch sync: the softswitch DIDtron keeps in step with its records — the
 * driver and a connection test, the queue of pushes with their calls, failures with retry, the
 * calls log, reconciliation with its drift, and the webhooks the switch sent.
 */
export function SwitchSyncPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Switch sync · ${portal.name} · DIDtron`);
  const { me } = useMe();
  const canManage = can(me, 'config.manage');
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab: Tab = tabs.find((t) => t === params.get('tab')) ?? 'queue';
  const [awaiting, setAwaiting] = useState<AwaitedReport | null>(null);

  const overview = useQuery({
    queryKey: switchKeys.overview(),
    queryFn: getOverview,
    refetchInterval: (q) => (engineBusy(q.state.data, !!awaiting) ? BUSY_POLL : IDLE_POLL),
  });
  const busy = engineBusy(overview.data, !!awaiting);
  const poll = busy ? BUSY_POLL : false;

  // "Run now" is waited for until its report is in (or it takes too long).
  const newest = overview.data?.last_reconciliation;
  useEffect(() => {
    if (!awaiting) return;
    if (reportArrived(awaiting.before, newest)) setAwaiting(null);
    else if (Date.now() - awaiting.since > REPORT_PATIENCE) {
      setAwaiting(null);
      notifications.show({
        color: 'amber',
        title: 'No report yet',
        message: 'The reconciliation has not reported after two minutes. It may still be waiting in the job queue: see System → Jobs.',
      });
    }
    // dataUpdatedAt: each poll checks again, even when the answer has not changed.
  }, [awaiting, newest, overview.dataUpdatedAt]);

  // When the engine settles, every list fetches once more so the final states show.
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current && !busy) void queryClient.invalidateQueries({ queryKey: switchRoot });
    wasBusy.current = busy;
  }, [busy, queryClient]);

  const select = (value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (!value || value === 'queue') next.delete('tab');
        else next.set('tab', value);
        return next;
      },
      { replace: true },
    );

  // Records whose last push failed: what needs someone (failed pushes stay listed after a good retry).
  const failing = overview.data?.records.failed ?? 0;
  const drift = overview.data?.last_reconciliation?.status === 'done' ? overview.data.last_reconciliation.drift_count : 0;

  return (
    <>
      <PageHeader
        title="Switch sync"
        description="Every change to a carrier, POP, route or rate card is pushed to the softswitch. Watch the queue, retry what failed, read each call, and check the switch for drift."
      />
      <Stack gap="lg">
        {overview.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Could not load the sync engine">
            {problemMessage(overview.error)}
          </Alert>
        )}
        <EngineCard overview={overview.data} canManage={canManage} />

        <Tabs value={tab} onChange={select} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab
              value="queue"
              rightSection={
                failing > 0 ? (
                  <Badge color="red" size="sm" variant="light">
                    {failing} failing
                  </Badge>
                ) : undefined
              }
            >
              Queue & failures
            </Tabs.Tab>
            <Tabs.Tab value="calls">Calls</Tabs.Tab>
            <Tabs.Tab
              value="reconciliation"
              rightSection={
                drift > 0 ? (
                  <Badge color="amber" size="sm" variant="light">
                    {drift}
                  </Badge>
                ) : undefined
              }
            >
              Reconciliation
            </Tabs.Tab>
            <Tabs.Tab value="webhooks">Webhooks</Tabs.Tab>
          </Tabs.List>

          <Tabs.Panel value="queue" pt="lg">
            <PushesPanel overview={overview.data} canManage={canManage} poll={poll} />
          </Tabs.Panel>
          <Tabs.Panel value="calls" pt="lg">
            <CallsPanel poll={poll} />
          </Tabs.Panel>
          <Tabs.Panel value="reconciliation" pt="lg">
            <ReconciliationPanel canManage={canManage} poll={poll} awaiting={awaiting} onAwait={setAwaiting} />
          </Tabs.Panel>
          <Tabs.Panel value="webhooks" pt="lg">
            <WebhooksPanel enabled={overview.data?.webhooks_enabled} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}
