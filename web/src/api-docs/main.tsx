import { Anchor, Badge, Group } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SkipLink } from '../a11y/SkipLink';
import { Providers } from '../app/Providers';
import { Logo } from '../components/Logo';
import { ColorSchemeToggle } from '../shell/ColorSchemeToggle';
import { ApiReference } from './ApiReference';
import classes from './ApiDocs.module.css';

/** /api/docs: the same header as the app, then the reference. */
function ApiDocsPage() {
  return (
    <>
      <SkipLink />
      <header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Anchor href="/" underline="never" aria-label="DIDtron home">
              <Logo compact />
            </Anchor>
            <Badge size="lg" radius="sm" variant="transparent" className={classes.badge}>
              API reference
            </Badge>
          </Group>
          <ColorSchemeToggle />
        </Group>
      </header>
      <main className={classes.main} id="main-content">
        <ApiReference />
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers>
      <ApiDocsPage />
    </Providers>
  </StrictMode>,
);
