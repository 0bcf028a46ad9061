// Every Mantine component's styles: the portals use most of them (see src/app/styles.ts).
import '@mantine/core/styles.layer.css';

import { Anchor, AppShell, Badge, Burger, Container, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { ModalsProvider } from '@mantine/modals';
import { IconApi, IconWorld } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { SkipLink } from '../a11y/SkipLink';
import { useRouteFocus } from '../a11y/useRouteFocus';
import { Logo } from '../components/Logo';
import { ScreenLoading } from '../components/PageLoading';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import type { Portal } from './nav';
import { PortalNav } from './PortalNav';
import { UserMenu } from './UserMenu';
import classes from './PortalShell.module.css';

interface PortalShellProps {
  portal: Portal;
}

/**
 * The one layout behind the admin, customer and carrier portals: header,
 * navigation from the portal's data, and the current screen. The portal's
 * accent colour comes from data-portal (src/theme/index.css).
 */
export function PortalShell({ portal }: PortalShellProps) {
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const { pathname } = useLocation();
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;

  // On phones the navigation is an overlay: close it once a screen is chosen.
  useEffect(() => closeNav(), [pathname, closeNav]);
  useRouteFocus();

  return (
    <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>
      <AppShell
        data-portal={portal.kind}
        header={{ height: 60 }}
        navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
        padding={0}
        className={classes.shell}
      >
        <AppShell.Header className={classes.header}>
          <SkipLink />
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={navOpened}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
                aria-expanded={navOpened}
              />
              <Anchor component={Link} to={portal.basePath} underline="never" aria-label={`DIDtron ${portal.name} home`}>
                <Logo compact />
              </Anchor>
              <Badge className={classes.portalBadge} size="lg" radius="sm" variant="transparent">
                {portal.shortName === portal.name ? (
                  portal.name
                ) : (
                  <>
                    <Text span inherit visibleFrom="xs">
                      {portal.name}
                    </Text>
                    <Text span inherit hiddenFrom="xs">
                      {portal.shortName}
                    </Text>
                  </>
                )}
              </Badge>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <ColorSchemeToggle />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>

        {/* Off-screen on phones until the burger opens it: keep it out of the tab order too. */}
        <AppShell.Navbar className={classes.navbar} aria-label={`${portal.name} navigation`} inert={isPhone && !navOpened}>
          <AppShell.Section grow component={ScrollArea} scrollbarSize={6} px="sm" py="md">
            <PortalNav portal={portal} />
          </AppShell.Section>
          <AppShell.Section px="sm" py="sm" className={classes.navFooter}>
            <Stack gap={2}>
              <Anchor component={Link} to="/" className={classes.footerLink} underline="never">
                <IconWorld size={16} stroke={1.6} />
                <Text span size="sm">
                  Public website
                </Text>
              </Anchor>
              <Anchor href="/api/docs" className={classes.footerLink} underline="never">
                <IconApi size={16} stroke={1.6} />
                <Text span size="sm">
                  API reference
                </Text>
              </Anchor>
            </Stack>
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main className={classes.main} id="main-content">
          <Container size="var(--didtron-content-max-width)" px={{ base: 'md', sm: 'xl' }} py={{ base: 'lg', sm: 'xl' }}>
            <Suspense fallback={<ScreenLoading />}>
              <Outlet />
            </Suspense>
          </Container>
        </AppShell.Main>
      </AppShell>
    </ModalsProvider>
  );
}
