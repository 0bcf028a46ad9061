/**
 * The switch sync API (`/api/v1/switch/…`), typed for the screens. Free-form JSON (requests,
 * responses, drift fields, webhook payloads) is read as `unknown`; see sync.ts for why.
 */
import { api } from '../../../api/client';
import { unwrap } from '../../../api/problem';
import type { Page } from '../../../config/kind';
import { type Call, type Push, type Reconciliation, type RecordSyncStatus, statusQuery, type Webhook } from './sync';

/** Every cached answer about the switch starts with this key, so one invalidation refreshes them all. */
export const switchRoot = ['switch'] as const;

export interface PushFilter {
  status?: string;
  kind?: string;
  record_id?: string;
  limit: number;
  offset: number;
}

export interface CallFilter {
  push_id?: string;
  failed?: boolean;
  limit: number;
  offset: number;
}

export interface PageParams {
  limit: number;
  offset: number;
}

export const switchKeys = {
  overview: () => [...switchRoot, 'overview'] as const,
  pushes: (f: PushFilter) => [...switchRoot, 'pushes', f] as const,
  calls: (f: CallFilter) => [...switchRoot, 'calls', f] as const,
  reconciliations: (p: PageParams) => [...switchRoot, 'reconciliations', p] as const,
  webhooks: (p: PageParams) => [...switchRoot, 'webhooks', p] as const,
  status: (kind: string, ids: readonly string[]) => [...switchRoot, 'status', statusQuery(kind, ids)] as const,
  attention: (p: PageParams) => [...switchRoot, 'attention', p] as const,
};

export async function getOverview() {
  return unwrap(await api.GET('/api/v1/switch'));
}

export async function testConnection() {
  return unwrap(await api.POST('/api/v1/switch/test'));
}

export async function listPushes(f: PushFilter): Promise<Page<Push>> {
  return unwrap(await api.GET('/api/v1/switch/pushes', { params: { query: f } }));
}

export async function retryPush(id: string) {
  return unwrap(await api.POST('/api/v1/switch/pushes/{id}/retry', { params: { path: { id } } }));
}

export async function pushRecord(kind: string, id: string) {
  return unwrap(await api.POST('/api/v1/switch/records/{kind}/{id}/push', { params: { path: { kind, id } } }));
}

export async function listCalls(f: CallFilter): Promise<Page<Call>> {
  const query = { ...f, failed: f.failed || undefined };
  return unwrap(await api.GET('/api/v1/switch/calls', { params: { query } })) as Page<Call>;
}

export async function listReconciliations(p: PageParams): Promise<Page<Reconciliation>> {
  return unwrap(await api.GET('/api/v1/switch/reconciliations', { params: { query: p } })) as Page<Reconciliation>;
}

export async function startReconciliation() {
  return unwrap(await api.POST('/api/v1/switch/reconciliations'));
}

export async function listWebhooks(p: PageParams): Promise<Page<Webhook>> {
  return unwrap(await api.GET('/api/v1/switch/webhooks', { params: { query: p } })) as Page<Webhook>;
}

/** The sync status of records of one kind; records never pushed are absent. */
export async function getSyncStatus(kind: string, ids: readonly string[]): Promise<RecordSyncStatus[]> {
  return unwrap(await api.GET('/api/v1/switch/status', { params: { query: statusQuery(kind, ids) } }));
}

/** Records whose switch objects need an operator (failed for good, or drifting), longest waiting first. */
export async function listAttention(p: PageParams) {
  return unwrap(await api.GET('/api/v1/switch/attention', { params: { query: p } }));
}
