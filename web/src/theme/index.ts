import {
  createTheme,
  localStorageColorSchemeManager,
  type CSSVariablesResolver,
  type MantineColor,
} from '@mantine/core';
import { amber, blue, dark, gray, green, orange, red, sky, teal, violet } from './palette';

/**
 * The one DIDtron theme. web/design_guidelines.md explains each choice;
 * change both together.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 6, dark: 5 },
  colors: { blue, violet, teal, orange, green, amber, red, sky, gray, dark },
  white: '#ffffff',
  black: '#0f172a',
  autoContrast: true,
  focusRing: 'auto',
  cursorType: 'pointer',
  respectReducedMotion: true,
  // System fonts only: nothing is fetched to render text.
  fontFamily:
    "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji'",
  fontFamilyMonospace:
    "ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', 'DejaVu Sans Mono', monospace",
  fontSizes: { xs: '0.75rem', sm: '0.875rem', md: '1rem', lg: '1.125rem', xl: '1.25rem' },
  lineHeights: { xs: '1.4', sm: '1.45', md: '1.55', lg: '1.6', xl: '1.65' },
  headings: {
    fontWeight: '600',
    textWrap: 'balance',
    sizes: {
      h1: { fontSize: '2.25rem', lineHeight: '1.2' },
      h2: { fontSize: '1.5rem', lineHeight: '1.3' },
      h3: { fontSize: '1.25rem', lineHeight: '1.35' },
      h4: { fontSize: '1.0625rem', lineHeight: '1.4' },
      h5: { fontSize: '0.9375rem', lineHeight: '1.45' },
      h6: { fontSize: '0.8125rem', lineHeight: '1.5' },
    },
  },
  spacing: { xs: '0.5rem', sm: '0.75rem', md: '1rem', lg: '1.5rem', xl: '2rem' },
  radius: { xs: '0.25rem', sm: '0.375rem', md: '0.5rem', lg: '0.75rem', xl: '1rem' },
  defaultRadius: 'md',
  shadows: {
    xs: '0 1px 2px rgb(15 23 42 / 0.06)',
    sm: '0 1px 3px rgb(15 23 42 / 0.08), 0 1px 2px rgb(15 23 42 / 0.04)',
    md: '0 4px 12px rgb(15 23 42 / 0.08), 0 2px 4px rgb(15 23 42 / 0.04)',
    lg: '0 12px 24px rgb(15 23 42 / 0.10), 0 4px 8px rgb(15 23 42 / 0.04)',
    xl: '0 24px 48px rgb(15 23 42 / 0.14)',
  },
  // Accessibility defaults (web/design_guidelines.md, Accessibility), so every screen, including
  // ones not written yet, gets them without asking: icon-only buttons have names, the show-password
  // toggle is a Tab stop, links in text are underlined (not told apart by colour alone).
  components: {
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    // Toasts are read out by their container, a polite live region (src/app/Providers.tsx);
    // their own default role, "alert", would interrupt and announce them a second time.
    Notification: { defaultProps: { role: 'none', closeButtonProps: { 'aria-label': 'Dismiss notification' } } },
    InputClearButton: { defaultProps: { 'aria-label': 'Clear' } },
    FileInput: { defaultProps: { clearButtonProps: { 'aria-label': 'Clear the chosen file' } } },
    PasswordInput: {
      defaultProps: { visibilityToggleFocusable: true, visibilityToggleButtonProps: { 'aria-label': 'Show password' } },
    },
    Anchor: { defaultProps: { underline: 'always' } },
    // Opened from the keyboard, a menu focuses its first item (the WAI-ARIA menu pattern), not
    // a placeholder that axe rightly flags as a child a menu may not have.
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
    Button: { defaultProps: { radius: 'md' } },
    Card: { defaultProps: { radius: 'lg', withBorder: true, padding: 'lg' } },
    Paper: { defaultProps: { radius: 'lg' } },
    Badge: { defaultProps: { radius: 'sm', variant: 'light' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
  },
});

/**
 * Text on "light" (tinted) badges, alerts and icons: shade 7 on light
 * backgrounds and shade 3 on dark ones, which keeps the hue and 4.5:1
 * contrast (Mantine 9's default is near-black and near-white).
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const names = Object.keys(t.colors);
  return {
    variables: {},
    // Placeholders (text, select and date fields) at ≥ 4.5:1 on the input background: Mantine's
    // defaults (gray 5 / dark 3) were 2.56:1 and 3.31:1.
    light: {
      ...Object.fromEntries(
        names.flatMap((c) => [
          [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-7)`],
          // Outline buttons and badges ("Current") and coloured text (`c="green"`): shade 6 of
          // green, amber or sky is under 4.5:1 on white; shade 7 keeps every hue at ≥ 5:1. (Dark
          // mode keeps Mantine's shade 4 for text.)
          [`--mantine-color-${c}-outline`, `var(--mantine-color-${c}-7)`],
          [`--mantine-color-${c}-text`, `var(--mantine-color-${c}-7)`],
        ]),
      ),
      '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    },
    // Outline buttons and badges: Mantine 9 uses shade 1 in dark mode (near-white, so a red
    // "Turn off" looked neutral); shade 4 keeps the hue at ≥ 4.5:1 on dark surfaces.
    dark: {
      ...Object.fromEntries(
        names.flatMap((c) => [
          [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-3)`],
          [`--mantine-color-${c}-outline`, `var(--mantine-color-${c}-4)`],
        ]),
      ),
      '--mantine-color-placeholder': 'var(--mantine-color-dark-2)',
      // Field errors and red text: Mantine uses shade 8, which in our palette is a dark red
      // (1.9:1 on inputs); shade 4 is 5.4:1.
      '--mantine-color-error': 'var(--mantine-color-red-4)',
      // Red (destructive) buttons: shade 5 would give white labels 3.8:1; shade 6 gives 4.8:1.
      '--mantine-color-red-filled': 'var(--mantine-color-red-6)',
      '--mantine-color-red-filled-hover': 'var(--mantine-color-red-7)',
    },
  };
};

/** What each status colour means, so badges and alerts agree everywhere. */
export const semanticColors = {
  success: 'green',
  warning: 'amber',
  danger: 'red',
  info: 'sky',
} as const satisfies Record<string, MantineColor>;

/** The three signed-in portals and their accent colours (see index.css). */
export const portalAccents = {
  admin: 'violet',
  customer: 'teal',
  carrier: 'orange',
} as const satisfies Record<string, MantineColor>;

export type PortalKind = keyof typeof portalAccents;

/** Light/dark choice, remembered per browser; "auto" follows the system until the user picks. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'didtron-color-scheme' });
export const defaultColorScheme = 'auto' as const;
