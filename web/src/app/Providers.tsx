import './styles';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { Announcer } from '../a11y/Announcer';
import { installFocusKeeper } from '../a11y/focusKeeper';
import { colorSchemeManager, cssVariablesResolver, defaultColorScheme, theme } from '../theme';
import { queryClient } from './queryClient';

/**
 * Theme, colour scheme, server-state cache, toasts, the live region for announcements and focus
 * that never drops to <body>: shared by both pages. Confirmation
 * modals (`modals.openConfirmModal`) are only used by the signed-in portals, whose shell
 * provides them (src/shell/PortalShell.tsx).
 */
export function Providers({ children }: { children: ReactNode }) {
  useEffect(installFocusKeeper, []);
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme={defaultColorScheme}
    >
      <QueryClientProvider client={queryClient}>
        <Notifications position="top-right" />
        <Announcer />
        {children}
      </QueryClientProvider>
    </MantineProvider>
  );
}
