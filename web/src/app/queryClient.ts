import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/problem';

/** Client errors (4xx) are answers, not glitches: retry only network and server failures. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failureCount, error) =>
        error instanceof ApiError && error.status < 500 ? false : failureCount < 2,
      refetchOnWindowFocus: false,
    },
  },
});
