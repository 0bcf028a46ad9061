import { Button, Code, Stack, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { NotFoundPage } from './NotFoundPage';
import classes from './StatusPage.module.css';

/** Shown instead of a blank page when a screen throws while rendering. */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  const detail = error instanceof Error ? error.message : isRouteErrorResponse(error) ? error.statusText : undefined;

  return (
    <Stack align="center" gap="sm" className={classes.page} p="md">
      <Text className={classes.code}>Error</Text>
      <Title order={1} size="h2" ta="center">
        Something went wrong
      </Title>
      <Text c="dimmed" ta="center" maw={460}>
        This screen could not be shown. Reloading usually helps; if it keeps happening, tell your administrator.
      </Text>
      {detail && <Code>{detail}</Code>}
      <Button mt="md" leftSection={<IconRefresh size={16} />} onClick={() => window.location.reload()}>
        Reload
      </Button>
    </Stack>
  );
}
