import { canTakeFocus, focusPageHeading } from './focus';

/**
 * Keyboard focus never falls to <body> because the element that had it went away.
 *
 * Dialogs and drawers here are mounted while open and removed when closed (and menus, toasts
 * and review dialogs likewise), so Mantine's own focus return, which acts on an `opened` prop
 * changing, does not run and focus would drop to the top of the document (21 Tab presses back to
 * where the person was). Instead: the last few focused elements are remembered, and when the
 * focused element is removed or hidden, focus goes back to the most recent one still on the page —
 * the control that opened the dialog (after Escape, save or push), the row's menu button, or the
 * field that was focused before a toast's × was used. Failing that, the page heading. A button
 * that is disabled while its action runs gets focus back when it is enabled again.
 *
 * Installed once (src/app/Providers.tsx); returns the uninstaller.
 */
export function installFocusKeeper(): () => void {
  const limit = 30;
  const history: HTMLElement[] = [];
  let scheduled = false;
  let waiting: HTMLElement | null = null;

  const onFocusIn = (event: FocusEvent) => {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    waiting = null;
    const at = history.lastIndexOf(target);
    if (at >= 0) history.splice(at, 1);
    history.push(target);
    if (history.length > limit) history.shift();
  };

  const restore = () => {
    scheduled = false;
    const active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) return;
    const last = history.at(-1);
    if (!last) return;
    if (last.isConnected) {
      // A button disabled while its action runs ("Save…" loading) drops focus; it gets it back
      // when it is enabled again, unless focus has gone elsewhere meanwhile.
      if (waiting === last && canTakeFocus(last)) {
        waiting = null;
        last.focus({ preventScroll: true });
      } else if ((last as HTMLButtonElement).disabled) {
        waiting = last;
      }
      // Otherwise focus left it on purpose (a click on the page background).
      return;
    }
    for (let i = history.length - 2; i >= 0; i--) {
      const candidate = history[i];
      if (canTakeFocus(candidate)) {
        candidate.focus({ preventScroll: true });
        return;
      }
    }
    focusPageHeading();
  };

  // DOM removals and hidden/disabled changes, checked once per batch of mutations; a short delay
  // lets the libraries' own focus handling (menus returning focus, dialogs focusing their first
  // field) go first.
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    window.setTimeout(restore, 30);
  });
  observer.observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['disabled', 'hidden', 'inert', 'aria-hidden', 'style'],
  });
  document.addEventListener('focusin', onFocusIn);
  return () => {
    observer.disconnect();
    document.removeEventListener('focusin', onFocusIn);
  };
}
