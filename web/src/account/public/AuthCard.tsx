// Form controls' style sheets, loaded with the public account pages rather than with every page.
import './styles';
import { Card, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface AuthCardProps {
  icon: Icon;
  title: string;
  description?: ReactNode;
  /** Wider for the sign-up form and its category cards. */
  width?: number;
  /** Small print under the card: "No account yet? Create one". */
  footer?: ReactNode;
  children?: ReactNode;
  /** Green icon for "done" states. */
  color?: string;
}

/** The card every public account page (sign in, sign up, links from e-mails) sits in. */
export function AuthCard({ icon: CardIcon, title, description, width = 440, footer, children, color }: AuthCardProps) {
  useDocumentTitle(`${title} · DIDtron`);
  return (
    <Center mih="calc(100dvh - 60px - 260px)" px="md" py={{ base: 40, sm: 64 }}>
      <Stack w="100%" maw={width} gap="md">
        <Card shadow="md" p={{ base: 'lg', sm: 'xl' }}>
          <Stack gap="lg">
            <Stack align="center" gap="xs">
              <ThemeIcon size={48} radius="xl" variant="light" color={color}>
                <CardIcon size={24} stroke={1.6} />
              </ThemeIcon>
              <Title order={1} size="h2" ta="center" mt={4}>
                {title}
              </Title>
              {description && (
                <Text c="dimmed" ta="center" size="sm" maw={400}>
                  {description}
                </Text>
              )}
            </Stack>
            {children}
          </Stack>
        </Card>
        {footer && (
          <Text size="sm" c="dimmed" ta="center">
            {footer}
          </Text>
        )}
      </Stack>
    </Center>
  );
}
