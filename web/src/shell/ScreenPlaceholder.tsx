import { EmptyState, Paper } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { PageHeader } from '../components/PageHeader';
import type { NavItem, Portal } from './nav';

interface ScreenPlaceholderProps {
  portal: Portal;
  item: NavItem;
}

/** Stands in for a screen until it is built, so no link in the navigation is dead. */
export function ScreenPlaceholder({ portal, item }: ScreenPlaceholderProps) {
  useDocumentTitle(`${item.label} · ${portal.name} · DIDtron`);
  const Icon = item.icon;
  return (
    <>
      <PageHeader title={item.label} description={item.summary} />
      <Paper withBorder py={64} px="xl">
        <EmptyState
          icon={<Icon size={26} stroke={1.5} />}
          variant="light"
          vars={() => ({
            root: {
              '--empty-state-indicator-bg': 'var(--portal-accent-soft)',
              '--empty-state-indicator-color': 'var(--portal-accent-text)',
            },
          })}
          title="Nothing here yet"
          description={item.empty}
        />
      </Paper>
    </>
  );
}
