import { ActionIcon, Stack } from '@mantine/core';
import { IconChevronRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/**
 * The content of an opened table row. On a phone the table scrolls sideways, so the content
 * stays as wide as the screen and in view (sticky at the left) instead of as wide as the table.
 */
export function Expansion({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Stack
      gap="md"
      p="md"
      bg="var(--didtron-page-bg)"
      // The content column: the screen less the page's side padding (and the navbar from sm up).
      maw={{ base: 'calc(100vw - 34px)', sm: 'calc(100vw - 326px)' }}
      style={{ position: 'sticky', left: 0 }}
      data-testid={testId}
    >
      {children}
    </Stack>
  );
}

/**
 * The chevron at the start of an expandable row. It has no handler of its own: its click (or Enter
 * and Space from the keyboard) reaches the row, which opens or closes — so keyboard users can open
 * rows too.
 */
export function ExpandButton({ open, label }: { open: boolean; label: string }) {
  return (
    <ActionIcon variant="subtle" color="gray" size="sm" aria-expanded={open} aria-label={`${open ? 'Hide' : 'Show'} ${label}`}>
      <IconChevronRight size={16} style={{ transform: open ? 'rotate(90deg)' : undefined, transition: 'transform 120ms' }} aria-hidden />
    </ActionIcon>
  );
}
