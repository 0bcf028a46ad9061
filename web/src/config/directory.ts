import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import { can } from '../auth/permissions';
import { useMe } from '../auth/useMe';
import { configKeys, listRecords } from './api';
import type { Scope } from './assignments';
import type { ConfigRecord } from './kind';

/**
 * Names for the ids a screen shows: the categories, groups and customers of
 * assignments and references, and the staff who made a version.
 */

export type Customer = components['schemas']['Customer'];

/** Customers met by any query in this session, so a chosen one keeps its name. */
const customerNames = new Map<string, string>();

export function rememberCustomers(customers: readonly { id: string; name: string }[]) {
  for (const c of customers) customerNames.set(c.id, c.name);
}

export const customersKey = ['customers'] as const;

export async function searchCustomers(params: { q?: string; category_id?: string; group_id?: string; limit?: number; offset?: number }) {
  const query = { ...params, q: params.q?.trim() || undefined };
  const page = unwrap(await api.GET('/api/v1/customers', { params: { query } }));
  rememberCustomers(page.items);
  return page;
}

/** Every record of a small kind (categories, groups), for selects and names. */
export function useAllRecords(kind: string, enabled = true) {
  const params = { limit: 200, offset: 0 };
  return useQuery({
    queryKey: configKeys.list(kind, params),
    queryFn: () => listRecords(kind, params),
    enabled,
    staleTime: 30_000,
  });
}

/** Customers whose name contains `q` (the first 50), for pickers. */
export function useCustomerSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...customersKey, 'search', q],
    queryFn: () => searchCustomers({ q, limit: 50 }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

function shortId(id: string) {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

/**
 * The names of categories, groups and customers. The API has no lookup of
 * customers by id, so names come from the first 200 customers and from every
 * customer search of this session; an unknown id shows shortened.
 */
export function useScopeDirectory() {
  const { me } = useMe();
  const allowed = can(me, 'customers.read');
  const categories = useAllRecords('category', allowed);
  const groups = useAllRecords('group', allowed);
  const customers = useQuery({
    queryKey: [...customersKey, 'directory'],
    queryFn: () => searchCustomers({ limit: 200 }),
    enabled: allowed,
    staleTime: 30_000,
  });

  const nameIn = (list: ConfigRecord[] | undefined, id: string) => {
    const found = list?.find((r) => r.id === id);
    return typeof found?.name === 'string' ? found.name : undefined;
  };

  const nameOf = useCallback(
    (scope: Scope): string => {
      if (scope.kind === 'all') return 'All customers';
      const id = scope.id;
      switch (scope.kind) {
        case 'category':
          return nameIn(categories.data?.items, id) ?? shortId(id);
        case 'group': {
          const group = groups.data?.items.find((g) => g.id === id);
          if (!group) return shortId(id);
          const category = nameIn(categories.data?.items, String(group.category_id ?? ''));
          return category ? `${String(group.name)} (${category})` : String(group.name);
        }
        default:
          return customers.data?.items.find((c) => c.id === id)?.name ?? customerNames.get(id) ?? shortId(id);
      }
    },
    [categories.data, groups.data, customers.data],
  );

  return { nameOf, categories: categories.data?.items ?? [], groups: groups.data?.items ?? [] };
}

/**
 * Who made a change: staff names from the team list (ids otherwise).
 * `system` is DIDtron itself (migrations, scheduled jobs).
 */
export function usePeople() {
  const { me } = useMe();
  const team = useQuery({
    queryKey: ['people'],
    queryFn: async () => unwrap(await api.GET('/api/v1/team')),
    enabled: can(me, 'team.read'),
    staleTime: 60_000,
  });
  return useCallback(
    (id: string | null | undefined): string => {
      if (!id) return 'Unknown';
      if (id === 'system') return 'DIDtron';
      if (id.startsWith('key:')) return `API key ${shortId(id.slice(4))}`;
      const member = team.data?.members.find((m) => m.id === id);
      return member ? member.name || member.email : shortId(id);
    },
    [team.data],
  );
}
