import { Center, Loader, Skeleton, Stack } from '@mantine/core';

/** The whole window while a page's code or the session loads. */
export function PageLoading() {
  return (
    <Center h="100dvh" aria-busy="true" aria-label="Loading">
      <Loader size="md" />
    </Center>
  );
}

/** The content area while a screen's code loads: the shape of a page header. */
export function ScreenLoading() {
  return (
    <Stack gap="sm" aria-busy="true" aria-label="Loading">
      <Skeleton height={28} width={240} radius="sm" />
      <Skeleton height={14} width="min(520px, 80%)" radius="sm" />
    </Stack>
  );
}
