import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/problem';
import { meKey } from '../auth/useMe';

/**
 * A 401 from a private call means the session ended (expired, revoked on
 * another device): mark it gone, and the portal guard sends the user to
 * /login?next=… .
 */
function onSessionLost(error: unknown) {
  if (error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated') {
    if (queryClient.getQueryData(meKey)) queryClient.setQueryData(meKey, null);
  }
}

/** Client errors (4xx) are answers, not glitches: retry only network and server failures. */
export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onSessionLost }),
  mutationCache: new MutationCache({ onError: onSessionLost }),
  defaultOptions: {
    queries: {
      retry: (failureCount, error) =>
        error instanceof ApiError && error.status < 500 ? false : failureCount < 2,
      refetchOnWindowFocus: false,
    },
  },
});
