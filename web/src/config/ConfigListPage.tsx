import { useDocumentTitle } from '@mantine/hooks';
import { IconAdjustments } from '@tabler/icons-react';
import { useLocation } from 'react-router';
import { activeItem, type Portal } from '../shell/nav';
import type { Screen } from '../shell/portalRoute';
import { ConfigList } from './ConfigList';
import type { KindDefinition } from './kind';

interface ConfigListPageProps {
  def: KindDefinition;
  portal: Portal;
}

/** A whole screen for one kind: its title, summary, icon and empty state come from the navigation entry. */
export function ConfigListPage({ def, portal }: ConfigListPageProps) {
  const { pathname } = useLocation();
  const item = activeItem(portal, pathname);
  const title = item?.label ?? def.plural;
  useDocumentTitle(`${title} · ${portal.name} · DIDtron`);
  return (
    <ConfigList
      def={def}
      heading="page"
      title={title}
      description={item?.summary}
      icon={item?.icon ?? IconAdjustments}
      empty={item?.empty ?? `Create the first ${def.noun}.`}
    />
  );
}

/** The screen of a kind, for the portal's screen map: `'config/pops': configScreen(pops)`. */
export function configScreen(def: KindDefinition): Screen {
  function KindScreen({ portal }: { portal: Portal }) {
    return <ConfigListPage def={def} portal={portal} />;
  }
  KindScreen.displayName = `ConfigScreen(${def.kind})`;
  return KindScreen;
}
