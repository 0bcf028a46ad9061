import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { homePathFor } from '../auth/permissions';
import { useMe } from '../auth/useMe';
import { PageLoading } from '../components/PageLoading';
import type { Portal } from './nav';

interface PortalGuardProps {
  portal: Portal;
  children: ReactNode;
}

/**
 * Only the right people into a portal: nobody signed in goes to
 * /login?next=…, a user of another kind of tenant to their own portal
 * (platform → /admin, customer → /portal, carrier → /carrier).
 */
export function PortalGuard({ portal, children }: PortalGuardProps) {
  const { me, isLoading } = useMe();
  const location = useLocation();

  if (isLoading) {
    return <PageLoading />;
  }
  if (!me) {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const home = homePathFor(me.tenant.kind);
  if (home !== portal.basePath) return <Navigate to={home} replace />;
  return children;
}
