import { EmptyState, Paper } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface EmptyPanelProps {
  icon: Icon;
  title?: string;
  description: ReactNode;
  /** The way to the first record, when the user may create one. */
  action?: ReactNode;
  /** Tighter padding inside a card. */
  compact?: boolean;
}

/** The one empty state: a bordered panel, the screen's icon in the portal accent, one sentence, one action. */
export function EmptyPanel({ icon: PanelIcon, title = 'Nothing here yet', description, action, compact }: EmptyPanelProps) {
  return (
    <Paper withBorder py={compact ? 'xl' : 64} px="xl" bg="var(--didtron-surface)">
      <EmptyState
        icon={<PanelIcon size={26} stroke={1.5} />}
        variant="light"
        vars={() => ({
          root: {
            '--empty-state-indicator-bg': 'var(--portal-accent-soft)',
            '--empty-state-indicator-color': 'var(--portal-accent-text)',
          },
        })}
        title={title}
        description={description}
      >
        {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
      </EmptyState>
    </Paper>
  );
}
