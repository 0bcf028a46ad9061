import '@mantine/core/styles/ScrollArea.layer.css';
import '@mantine/core/styles/Overlay.layer.css';
import '@mantine/core/styles/ModalBase.layer.css';
import '@mantine/core/styles/Drawer.layer.css';

import { Anchor, Button, Divider, Drawer, Stack, VisuallyHidden } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Logo } from '../components/Logo';
import classes from './Website.module.css';

interface MobileMenuProps {
  opened: boolean;
  onClose: () => void;
  sections: { label: string; hash: string }[];
  /** Where "Open your portal" leads when someone is signed in. */
  portalPath: string | null;
}

/**
 * The website's menu on phones, loaded the first time the burger is used (the drawer and its
 * focus trap are not needed on desktops). It opens one render after mounting, so Mantine sees
 * `opened` change and returns focus to the burger when it closes.
 */
export function MobileMenu({ opened, onClose, sections, portalPath }: MobileMenuProps) {
  const [shown, setShown] = useState(false);
  useEffect(() => setShown(opened), [opened]);

  return (
    <Drawer
      opened={shown}
      onClose={onClose}
      size="100%"
      padding="md"
      title={
        <>
          <Logo />
          <VisuallyHidden>menu</VisuallyHidden>
        </>
      }
      hiddenFrom="md"
      zIndex={300}
    >
      <Stack gap="xs" component="nav" aria-label="Main">
        {sections.map((s) => (
          <Anchor key={s.hash} component={Link} to={{ pathname: '/', hash: s.hash }} className={classes.drawerLink} underline="never">
            {s.label}
          </Anchor>
        ))}
      </Stack>
      <Divider my="lg" />
      <Stack gap="sm">
        {portalPath ? (
          <Button component={Link} to={portalPath} fullWidth>
            Open your portal
          </Button>
        ) : (
          <>
            <Button component={Link} to="/login" variant="default" fullWidth>
              Sign in
            </Button>
            <Button component={Link} to="/register" fullWidth>
              Get started
            </Button>
          </>
        )}
      </Stack>
    </Drawer>
  );
}
