import type { MantineColorsTuple } from '@mantine/core';

// Ten shades each, lightest first. Shade 6 is the colour named in the design
// guidelines; the others step evenly towards white and black around it.

/**
 * Primary: DIDtron blue, shade 6 = #2563EB. Shade 5 is the dark-mode primary;
 * it is #306FF0 rather than the usual #3B82F6 so white button labels keep
 * 4.5:1 contrast.
 */
export const blue: MantineColorsTuple = [
  '#eff6ff', '#dbeafe', '#bfdbfe', '#93c5fd', '#60a5fa',
  '#306ff0', '#2563eb', '#1d4ed8', '#1e40af', '#1e3a8a',
];

/** Admin portal accent, shade 6 = #7C3AED. */
export const violet: MantineColorsTuple = [
  '#f5f3ff', '#ede9fe', '#ddd6fe', '#c4b5fd', '#a78bfa',
  '#8b5cf6', '#7c3aed', '#6d28d9', '#5b21b6', '#4c1d95',
];

/** Customer portal accent, shade 6 = #0D9488. */
export const teal: MantineColorsTuple = [
  '#f0fdfa', '#ccfbf1', '#99f6e4', '#5eead4', '#2dd4bf',
  '#14b8a6', '#0d9488', '#0f766e', '#115e59', '#134e4a',
];

/** Carrier portal accent, shade 6 = #EA580C. */
export const orange: MantineColorsTuple = [
  '#fff7ed', '#ffedd5', '#fed7aa', '#fdba74', '#fb923c',
  '#f97316', '#ea580c', '#c2410c', '#9a3412', '#7c2d12',
];

/** Success, shade 6 = #16A34A. */
export const green: MantineColorsTuple = [
  '#f0fdf4', '#dcfce7', '#bbf7d0', '#86efac', '#4ade80',
  '#22c55e', '#16a34a', '#15803d', '#166534', '#14532d',
];

/** Warning, shade 6 = #D97706. */
export const amber: MantineColorsTuple = [
  '#fffbeb', '#fef3c7', '#fde68a', '#fcd34d', '#fbbf24',
  '#f59e0b', '#d97706', '#b45309', '#92400e', '#78350f',
];

/** Danger, shade 6 = #DC2626. */
export const red: MantineColorsTuple = [
  '#fef2f2', '#fee2e2', '#fecaca', '#fca5a5', '#f87171',
  '#ef4444', '#dc2626', '#b91c1c', '#991b1b', '#7f1d1d',
];

/** Info, shade 6 = #0284C7. */
export const sky: MantineColorsTuple = [
  '#f0f9ff', '#e0f2fe', '#bae6fd', '#7dd3fc', '#38bdf8',
  '#0ea5e9', '#0284c7', '#0369a1', '#075985', '#0c4a6e',
];

/** Light-mode neutrals (slate): 0 page background, 3 borders, 6 dimmed text. */
export const gray: MantineColorsTuple = [
  '#f8fafc', '#f1f5f9', '#e9eef4', '#e2e8f0', '#cbd5e1',
  '#94a3b8', '#64748b', '#475569', '#334155', '#1e293b',
];

/**
 * Dark-mode neutrals, cool rather than Mantine's warm default.
 * Mantine reads 0 as text, 2 as dimmed text, 4 as borders, 6 as surfaces
 * (cards, inputs), 7 as the body and 8 as the page behind the content.
 */
export const dark: MantineColorsTuple = [
  '#d7dce4', '#b4bbc7', '#939bab', '#6b7385', '#3a404c',
  '#2b303a', '#1f232b', '#171a21', '#111318', '#0b0d11',
];
