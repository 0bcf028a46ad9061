import type { ReactNode } from 'react';
import { IconLock } from '@tabler/icons-react';
import { can, type Permission } from '../auth/permissions';
import { useMe } from '../auth/useMe';
import { EmptyPanel } from '../components/EmptyPanel';
import { PageHeader } from '../components/PageHeader';

interface RequirePermissionProps {
  permission?: Permission;
  title: string;
  children: ReactNode;
}

/**
 * A screen the role may not open (typed in, or an old bookmark) explains
 * itself instead of showing a wall of 403s.
 */
export function RequirePermission({ permission, title, children }: RequirePermissionProps) {
  const { me } = useMe();
  if (can(me, permission)) return children;
  return (
    <>
      <PageHeader title={title} />
      <EmptyPanel
        icon={IconLock}
        title="You don’t have access to this screen"
        description={`Your role (${me?.role_label ?? 'unknown'}) does not allow it. Ask an Owner or Admin of your account if you need it.`}
      />
    </>
  );
}
