/** The icon-only × of a Modal or Drawer, named for screen readers: `<Modal closeButtonProps={closeButtonProps}>`. */
export const closeButtonProps = { 'aria-label': 'Close' } as const;
