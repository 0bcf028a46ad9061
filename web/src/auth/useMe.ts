import { type QueryClient, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** The signed-in user, their tenant, role and permissions (GET /api/v1/me). */
export type Me = components['schemas']['Me'];

/** The query key of the session; set it after signing in, clear it after signing out. */
export const meKey = ['me'] as const;

function isMe(value: unknown): value is Me {
  const v = value as Me | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.user?.name === 'string' &&
    typeof v.tenant?.kind === 'string' &&
    Array.isArray(v.permissions)
  );
}

/** null when nobody is signed in. */
async function fetchMe(): Promise<Me | null> {
  let result;
  try {
    result = await api.GET('/api/v1/me');
  } catch (error) {
    // A 200 that is not JSON means no DIDtron API answered (e.g. a static
    // preview server returning index.html): treat as signed out.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  // 401 when signed out; 404 from a server that predates sessions.
  if (result.response.status === 401 || result.response.status === 404) return null;
  const me = unwrap(result);
  return isMe(me) ? me : null;
}

/** After signing in: start from an empty cache holding the new session. */
export function rememberSession(queryClient: QueryClient, me: Me) {
  // Nothing cached for a previous user may show to this one.
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
  queryClient.setQueryData(meKey, me);
}

/**
 * The current session, shared by every screen through the query cache.
 *
 *   const { me, isLoading, signOut } = useMe();
 *   can(me, 'customers.manage')   // auth/permissions.ts
 */
export function useMe() {
  const query = useQuery({
    queryKey: meKey,
    queryFn: fetchMe,
    retry: false,
    staleTime: 60_000,
  });
  const logout = useMutation({
    mutationFn: async () => {
      const result = await api.POST('/api/v1/auth/logout');
      // Already signed out is fine.
      if (result.response.status !== 401) unwrap(result);
    },
    // A fresh load of the home page: nothing of this session stays in memory, and
    // no portal guard sends the user to /login?next=… on the way out.
    onSuccess: () => window.location.assign('/'),
  });

  return {
    /** null when signed out or when the session could not be read. */
    me: query.data ?? null,
    isLoading: query.isPending,
    signOut: logout.mutateAsync,
    isSigningOut: logout.isPending,
  };
}
