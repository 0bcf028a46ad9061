import '@scalar/api-reference/style.css';

import { useComputedColorScheme } from '@mantine/core';
import { createApiReference } from '@scalar/api-reference';
import { useEffect, useRef } from 'react';

/** Where didtron serves its generated OpenAPI document. */
const specUrl = '/api/openapi.json';

type Configuration = Parameters<typeof createApiReference>[1];

/** Our fonts and brand blue inside Scalar (its variables, see @scalar/themes). */
const customCss = `
.light-mode, .dark-mode {
  --scalar-font: var(--mantine-font-family);
  --scalar-font-code: var(--mantine-font-family-monospace);
  --scalar-radius: 6px;
  --scalar-radius-lg: 8px;
  --scalar-radius-xl: 12px;
}
.light-mode {
  --scalar-color-accent: #2563eb;
  --scalar-background-accent: rgb(37 99 235 / 0.08);
}
.dark-mode {
  --scalar-color-accent: #93c5fd;
  --scalar-background-accent: rgb(59 130 246 / 0.16);
  --scalar-background-1: #171a21;
  --scalar-background-2: #1f232b;
  --scalar-background-3: #2b303a;
  --scalar-border-color: #3a404c;
}
`;

/**
 * Scalar, configured to stay on this server: no web fonts, no telemetry, no
 * request proxy, no hosted agent or MCP services. Try-it requests go straight
 * to this origin with the visitor's session cookie.
 */
function configuration(dark: boolean): Configuration {
  return {
    url: specUrl,
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
    hideDarkModeToggle: true,
    forceDarkModeState: dark ? 'dark' : 'light',
    documentDownloadType: 'json',
    hideClientButton: false,
    customFetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, credentials: 'include' }),
    theme: 'default',
    customCss,
  };
}

/** The Scalar API reference, following the page's light/dark scheme. */
export function ApiReference() {
  const container = useRef<HTMLDivElement>(null);
  const instance = useRef<ReturnType<typeof createApiReference> | null>(null);
  const dark = useComputedColorScheme('light', { getInitialValueInEffect: false }) === 'dark';

  useEffect(() => {
    if (!container.current) return;
    instance.current = createApiReference(container.current, configuration(dark));
    return () => {
      instance.current?.destroy();
      instance.current = null;
    };
    // Mount once; scheme changes are applied below.
  }, []);

  // Scalar reads forceDarkModeState once; later switches swap its body classes
  // directly, as its own toggle would.
  useEffect(() => {
    document.body.classList.toggle('dark-mode', dark);
    document.body.classList.toggle('light-mode', !dark);
  }, [dark]);

  return <div ref={container} />;
}
