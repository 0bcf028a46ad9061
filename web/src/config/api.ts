import type { QueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Assignment } from './assignments';
import type { ConfigRecord, Page } from './kind';
import { loadKindRules } from './rules';

/**
 * The generic configuration API (`/api/v1/config/{kind}`), typed for the
 * screens. The OpenAPI document types each kind's records too
 * (`components['schemas']['PopRecord']`, at `/api/v1/config/pop`); the
 * screens work on any kind through the generic paths and read records as
 * ConfigRecord.
 */

export type Operation = components['schemas']['Operation'];
export type Preview = components['schemas']['Preview'];
export type FieldChange = components['schemas']['FieldChange'];
export type Draft = components['schemas']['Draft'];
export type DraftWithPreview = components['schemas']['DraftWithPreview'];

export interface Version {
  id: string;
  version: number;
  action: string;
  snapshot: Record<string, unknown> | null;
  previous: Record<string, unknown> | null;
  diff: FieldChange[];
  note: string;
  created_at: string;
  created_by?: string | null;
}

/** One change to one record: applied at once, or kept as a draft. */
export interface Change {
  operation: Operation;
  id?: string;
  fields?: Record<string, unknown>;
  assignments?: Assignment[];
  expected_version?: number;
}

export interface ListParams {
  q?: string;
  /** `column:value` */
  filter?: string;
  limit?: number;
  offset?: number;
}

/** Every cached answer about configuration starts with this key, so one invalidation refreshes them all. */
export const configRoot = ['config'] as const;

export const configKeys = {
  list: (kind: string, params: ListParams) => [...configRoot, kind, 'list', params] as const,
  record: (kind: string, id: string) => [...configRoot, kind, 'record', id] as const,
  versions: (kind: string, id: string) => [...configRoot, kind, 'versions', id] as const,
  drafts: (status: string, page: number) => [...configRoot, 'drafts', status, page] as const,
  draft: (id: string) => [...configRoot, 'draft', id] as const,
};

/**
 * A page of records. The kind's field rules load beside it (once a session),
 * so a form opened from the list checks them.
 */
export async function listRecords(kind: string, params: ListParams = {}): Promise<Page<ConfigRecord>> {
  const query = { ...params, q: params.q?.trim() || undefined };
  const [response] = await Promise.all([api.GET('/api/v1/config/{kind}', { params: { path: { kind }, query } }), loadKindRules(kind)]);
  return unwrap(response) as unknown as Page<ConfigRecord>;
}

export async function getRecord(kind: string, id: string): Promise<ConfigRecord> {
  const record = unwrap(await api.GET('/api/v1/config/{kind}/{id}', { params: { path: { kind, id } } }));
  return record as unknown as ConfigRecord;
}

function body(change: Change) {
  return change as unknown as components['schemas']['Change'];
}

/** What a change would do, changing nothing. */
export async function previewChange(kind: string, change: Change): Promise<Preview> {
  return unwrap(await api.POST('/api/v1/config/{kind}/preview', { params: { path: { kind } }, body: body(change) }));
}

/** Applies a change now: a new version of the record (null after a delete). */
export async function applyChange(kind: string, change: Change): Promise<ConfigRecord | null> {
  // The schema types free-form objects as empty ones; the server checks the fields.
  const input = {
    fields: change.fields ?? {},
    assignments: change.assignments,
    expected_version: change.expected_version,
  } as unknown as components['schemas']['RecordInput'];
  if (change.operation === 'create') {
    return unwrap(await api.POST('/api/v1/config/{kind}', { params: { path: { kind } }, body: input })) as unknown as ConfigRecord;
  }
  const id = change.id ?? '';
  if (change.operation === 'update') {
    return unwrap(await api.PATCH('/api/v1/config/{kind}/{id}', { params: { path: { kind, id } }, body: input })) as unknown as ConfigRecord;
  }
  unwrap(await api.DELETE('/api/v1/config/{kind}/{id}', { params: { path: { kind, id } } }));
  return null;
}

export async function saveDraft(kind: string, change: Change, note: string): Promise<DraftWithPreview> {
  return unwrap(await api.POST('/api/v1/config/drafts', { body: { kind, change: body(change), note } }));
}

export async function listVersions(kind: string, id: string, offset = 0, limit = 25): Promise<Page<Version>> {
  const page = unwrap(await api.GET('/api/v1/config/{kind}/{id}/versions', { params: { path: { kind, id }, query: { limit, offset } } }));
  return page as unknown as Page<Version>;
}

export async function rollbackRecord(kind: string, id: string, version: number): Promise<ConfigRecord> {
  const record = unwrap(await api.POST('/api/v1/config/{kind}/{id}/rollback', { params: { path: { kind, id } }, body: { version } }));
  return record as unknown as ConfigRecord;
}

/**
 * After any configuration write: lists, records, drafts, the categories
 * dashboard, customers (a category's name shows there) and customers'
 * choices may all have changed.
 */
export function refreshConfiguration(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: configRoot }),
    queryClient.invalidateQueries({ queryKey: ['customers'] }),
  ]);
}
