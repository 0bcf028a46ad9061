import { Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface SectionCardProps {
  title: string;
  description?: ReactNode;
  /** Top-right: a status badge or the section's action. */
  aside?: ReactNode;
  children: ReactNode;
}

/** One titled card of a settings page. */
export function SectionCard({ title, description, aside, children }: SectionCardProps) {
  return (
    <Card component="section" aria-label={title} bg="var(--didtron-surface)">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <Stack gap={2} maw={640}>
            <Title order={2} size="h4">
              {title}
            </Title>
            {description && (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            )}
          </Stack>
          {aside}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
