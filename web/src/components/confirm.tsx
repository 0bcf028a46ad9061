import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';

interface ConfirmDestructiveOptions {
  /** Names the thing: "Revoke API key Billing sync?" */
  title: string;
  /** The consequences, in a sentence or two. */
  message: ReactNode;
  /** Repeats the verb: "Revoke key". Never a bare "OK". */
  confirmLabel: string;
  onConfirm: () => void;
}

/** The confirmation every destructive action asks for: a modal with a red button that repeats the verb. */
export function confirmDestructive(options: ConfirmDestructiveOptions) {
  openConfirm(options, 'red');
}

/** The same question for a weighty but reversible change (a new role): the confirm button is primary. */
export function confirmAction(options: ConfirmDestructiveOptions) {
  openConfirm(options);
}

function openConfirm({ title, message, confirmLabel, onConfirm }: ConfirmDestructiveOptions, color?: string) {
  modals.openConfirmModal({
    title,
    centered: true,
    children: typeof message === 'string' ? <Text size="sm">{message}</Text> : message,
    labels: { confirm: confirmLabel, cancel: 'Cancel' },
    confirmProps: color ? { color } : {},
    onConfirm,
  });
}
