/**
 * Moves focus to the page's heading (its first h1 in <main>), or to <main> itself, so that a
 * screen reader reads the new page and the next Tab continues from the content. Non-interactive
 * targets get tabindex="-1" (focusable from code only). Returns false when there is no main yet.
 */
export function focusPageHeading(): boolean {
  const main = document.querySelector('main');
  if (!main) return false;
  const target = main.querySelector<HTMLElement>('h1') ?? main;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
  return true;
}

/** True when `el` can take focus now: in the page, not disabled, not hidden, not inside an inert or aria-hidden part. */
export function canTakeFocus(el: Element | null | undefined): el is HTMLElement {
  if (!(el instanceof HTMLElement) || !el.isConnected) return false;
  if ((el as HTMLButtonElement).disabled) return false;
  if (el.closest('[inert], [aria-hidden="true"]')) return false;
  // checkVisibility: display:none or visibility:hidden anywhere up the tree.
  if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ visibilityProperty: true })) return false;
  return el.tabIndex >= 0 || el.hasAttribute('tabindex') || el.isContentEditable;
}
