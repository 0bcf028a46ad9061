import { Button, Card, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft, type Icon } from '@tabler/icons-react';
import { Link } from 'react-router';

interface ComingSoonPageProps {
  title: string;
  message: string;
  icon: Icon;
}

/** A polite placeholder for public pages that are not built yet (sign-in, registration). */
export function ComingSoonPage({ title, message, icon: PageIcon }: ComingSoonPageProps) {
  useDocumentTitle(`${title} · DIDtron`);
  return (
    <Center mih="calc(100dvh - 60px - 260px)" px="md" py={64}>
      <Card w="100%" maw={440} shadow="md" p="xl">
        <Stack align="center" gap="sm">
          <ThemeIcon size={52} radius="xl" variant="light">
            <PageIcon size={26} stroke={1.6} />
          </ThemeIcon>
          <Title order={1} size="h2" ta="center" mt="xs">
            {title}
          </Title>
          <Text c="dimmed" ta="center" size="sm">
            {message}
          </Text>
          <Button component={Link} to="/" variant="default" mt="md" leftSection={<IconArrowLeft size={16} />}>
            Back to home
          </Button>
        </Stack>
      </Card>
    </Center>
  );
}
