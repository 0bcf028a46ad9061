import './styles';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { Announcer } from '../a11y/Announcer';
import { installEscapeClosesTopmost } from '../a11y/escapeClosesTopmost';
import { installFocusKeeper } from '../a11y/focusKeeper';
import { colorSchemeManager, cssVariablesResolver, defaultColorScheme, theme } from '../theme';
import { queryClient } from './queryClient';

/**
 * Theme, colour scheme, server-state cache, toasts, the live region for announcements, focus
 * that never drops to <body> and Escape that closes one dialog at a time: shared by both pages. Confirmation
 * modals (`modals.openConfirmModal`) are only used by the signed-in portals, whose shell
 * provides them (src/shell/PortalShell.tsx).
 */
export function Providers({ children }: { children: ReactNode }) {
  useEffect(installFocusKeeper, []);
  useEffect(installEscapeClosesTopmost, []);
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme={defaultColorScheme}
    >
      <QueryClientProvider client={queryClient}>
        {/* Toasts are status messages: their containers exist from the first paint as polite live
            regions, so each toast is read out without interrupting (the theme turns off the toasts'
            own "alert" role, which would interrupt and read them twice). */}
        <Notifications position="top-right" aria-live="polite" />
        <Announcer />
        {children}
      </QueryClientProvider>
    </MantineProvider>
  );
}
