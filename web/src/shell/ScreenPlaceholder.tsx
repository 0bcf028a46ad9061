import { useDocumentTitle } from '@mantine/hooks';
import { EmptyPanel } from '../components/EmptyPanel';
import { PageHeader } from '../components/PageHeader';
import type { NavItem, Portal } from './nav';

interface ScreenPlaceholderProps {
  portal: Portal;
  item: NavItem;
}

/** Stands in for a screen until it is built, so no link in the navigation is dead. */
export function ScreenPlaceholder({ portal, item }: ScreenPlaceholderProps) {
  useDocumentTitle(`${item.label} · ${portal.name} · DIDtron`);
  return (
    <>
      <PageHeader title={item.label} description={item.summary} />
      <EmptyPanel icon={item.icon} description={item.empty} />
    </>
  );
}
