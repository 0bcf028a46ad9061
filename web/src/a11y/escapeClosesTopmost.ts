/**
 * Escape closes only the dialog in front. A record drawer with its review dialog on top, or a
 * dialog with a confirmation on top, are separate Mantine dialogs that each close on Escape, so
 * one Escape used to close both and throw the drawer's unsaved fields away.
 *
 * A window listener registered before any dialog (installed once, src/app/Providers.tsx) sees
 * Escape first; when more than one dialog is open it stops the event and closes the front one
 * (the one holding focus, else the last opened) through its × button. Returns the uninstaller.
 */
export function installEscapeClosesTopmost(): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.isComposing) return;
    const open = [...document.querySelectorAll<HTMLElement>('[role="dialog"][aria-modal="true"]')];
    if (open.length < 2) return;
    const front = open.find((dialog) => dialog.contains(document.activeElement)) ?? open.at(-1)!;
    const close = front.querySelector<HTMLButtonElement>('.mantine-Modal-close, .mantine-Drawer-close');
    if (!close) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    close.click();
  };
  window.addEventListener('keydown', onKeyDown, { capture: true });
  return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
}
