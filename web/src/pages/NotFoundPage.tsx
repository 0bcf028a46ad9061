import { Button, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link } from 'react-router';
import classes from './StatusPage.module.css';

interface NotFoundPageProps {
  homeHref?: string;
  homeLabel?: string;
}

/** Any URL that matches no screen. */
export function NotFoundPage({ homeHref = '/', homeLabel = 'Back to home' }: NotFoundPageProps) {
  useDocumentTitle('Page not found · DIDtron');
  return (
    <Stack align="center" gap="sm" className={classes.page}>
      <Text className={classes.code}>404</Text>
      <Title order={1} size="h2" ta="center">
        Page not found
      </Title>
      <Text c="dimmed" ta="center" maw={420}>
        The page you are looking for does not exist or has moved. Check the address, or go back and try again.
      </Text>
      <Button component={Link} to={homeHref} mt="md" leftSection={<IconArrowLeft size={16} />}>
        {homeLabel}
      </Button>
    </Stack>
  );
}
