import { Anchor, Box, Burger, Button, Container, Divider, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { homePathFor } from '../auth/permissions';
import { useMe } from '../auth/useMe';
import { SkipLink } from '../a11y/SkipLink';
import { useRouteFocus } from '../a11y/useRouteFocus';
import { Logo } from '../components/Logo';
import { ColorSchemeToggle } from '../shell/ColorSchemeToggle';
import classes from './Website.module.css';

/** Sections of the home page that the header links to. */
const sections = [
  { label: 'Voice', hash: '#voice' },
  { label: 'Numbers', hash: '#numbers' },
  { label: 'PBX', hash: '#pbx' },
  { label: 'Pricing', hash: '#pricing' },
];

const MobileMenu = lazy(() => import('./MobileMenu').then((m) => ({ default: m.MobileMenu })));

/** Header, footer and the public pages between them. */
export function WebsiteLayout() {
  const [drawerOpened, { toggle: toggleDrawer, close: closeDrawer }] = useDisclosure(false);
  // The phone menu's code loads on the first use of the burger, and stays.
  const [menuUsed, setMenuUsed] = useState(false);
  const location = useLocation();
  const { me } = useMe();
  useEffect(() => closeDrawer(), [location.pathname, location.hash, closeDrawer]);
  useRouteFocus();

  const navLinks = sections.map((s) => (
    <Anchor key={s.hash} component={Link} to={{ pathname: '/', hash: s.hash }} className={classes.navLink} underline="never">
      {s.label}
    </Anchor>
  ));

  return (
    <div className={classes.site}>
      <SkipLink />
      <header className={classes.header}>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Group gap={40} wrap="nowrap">
              <Anchor component={Link} to="/" underline="never" aria-label="DIDtron home">
                <Logo />
              </Anchor>
              <Group gap={28} visibleFrom="md" component="nav" aria-label="Main">
                {navLinks}
              </Group>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <ColorSchemeToggle />
              <Group gap="sm" visibleFrom="sm" wrap="nowrap">
                {me ? (
                  <Button component={Link} to={homePathFor(me.tenant.kind)}>
                    Open your portal
                  </Button>
                ) : (
                  <>
                    <Button component={Link} to="/login" variant="default">
                      Sign in
                    </Button>
                    <Button component={Link} to="/register">
                      Get started
                    </Button>
                  </>
                )}
              </Group>
              <Burger
                opened={drawerOpened}
                onClick={() => {
                  setMenuUsed(true);
                  toggleDrawer();
                }}
                hiddenFrom="md"
                size="sm"
                aria-label={drawerOpened ? 'Close menu' : 'Open menu'}
                aria-expanded={drawerOpened}
              />
            </Group>
          </Group>
        </Container>
      </header>

      {menuUsed && (
        <Suspense fallback={null}>
          <MobileMenu
            opened={drawerOpened}
            onClose={closeDrawer}
            sections={sections}
            portalPath={me ? homePathFor(me.tenant.kind) : null}
          />
        </Suspense>
      )}

      <main className={classes.main} id="main-content">
        <Outlet />
      </main>

      <footer className={classes.footer}>
        <Container size="lg" py={48}>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="xl">
            <Stack gap="sm">
              <Logo />
              <Text size="sm" c="dimmed" maw={260}>
                SIP trunks, phone numbers and hosted PBX for businesses.
              </Text>
            </Stack>
            <FooterColumn
              title="Products"
              links={[
                { label: 'Voice', to: '/#voice' },
                { label: 'Numbers', to: '/#numbers' },
                { label: 'PBX', to: '/#pbx' },
              ]}
            />
            <FooterColumn
              title="Company"
              links={[
                { label: 'Pricing', to: '/#pricing' },
                { label: 'Get started', to: '/register' },
              ]}
            />
            <FooterColumn
              title="Developers"
              links={[
                { label: 'API reference', href: '/api/docs' },
                { label: 'Sign in', to: '/login' },
              ]}
            />
          </SimpleGrid>
          <Divider my="xl" />
          <Text size="xs" c="dimmed">
            © {new Date().getFullYear()} DIDtron. All rights reserved.
          </Text>
        </Container>
      </footer>
    </div>
  );
}

interface FooterLink {
  label: string;
  /** In-app route. */
  to?: string;
  /** Served by the server outside the app (e.g. /api/docs). */
  href?: string;
}

function FooterColumn({ title, links }: { title: string; links: FooterLink[] }) {
  return (
    <Box>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb="sm" className={classes.footerTitle}>
        {title}
      </Text>
      <Stack gap={8}>
        {links.map((l) =>
          l.href ? (
            <Anchor key={l.label} href={l.href} size="sm" className={classes.footerLink} underline="never">
              {l.label}
            </Anchor>
          ) : (
            <Anchor key={l.label} component={Link} to={l.to!} size="sm" className={classes.footerLink} underline="never">
              {l.label}
            </Anchor>
          ),
        )}
      </Stack>
    </Box>
  );
}
