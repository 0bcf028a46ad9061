import { Divider, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCategory2, IconUsersGroup } from '@tabler/icons-react';
import { PageHeader } from '../../components/PageHeader';
import { ConfigList } from '../../config/ConfigList';
import type { Portal } from '../../shell/nav';
import { CategoryDashboard } from './CategoryDashboard';
import { categories, groups } from './kinds';

/** Customers per category and group at a glance, and the categories and groups themselves. */
export function CategoriesPage({ portal }: { portal: Portal }) {
  useDocumentTitle(`Categories & groups · ${portal.name} · DIDtron`);
  return (
    <>
      <PageHeader
        title="Categories & groups"
        description="Customer categories and the groups inside them. Every offering cascades by category and group."
      />
      <Stack gap="xl">
        <CategoryDashboard />
        <Divider />
        <ConfigList
          def={categories}
          heading="section"
          title="Categories"
          description="Customers choose a public category when they sign up; you can move them later."
          icon={IconCategory2}
          empty="Create a category such as SIP Trunk or Enterprise."
        />
        <ConfigList
          def={groups}
          heading="section"
          title="Groups"
          description="A finer level inside a category, e.g. VIP customers of SIP Trunk."
          icon={IconUsersGroup}
          empty="Add groups to a category to assign offerings to part of it."
        />
      </Stack>
    </>
  );
}
