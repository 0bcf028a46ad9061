import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { announce } from './Announcer';
import { focusPageHeading } from './focus';

/** The path the last page change was handled for, shared by the website's and the portals' shells. */
let handledPath: string | null = null;

/**
 * After navigating within the app, focus moves to the new page's heading and its title is
 * announced, as a full page load would do for a screen reader; the next Tab continues from the
 * content rather than from the link that was used. The first page of a visit is left alone (focus
 * starts at the top, where the skip link is), and so is a page that focused a form field itself
 * (sign in focuses the e-mail field). Lazily loaded screens first show a skeleton, so this waits
 * for the heading to appear.
 */
export function useRouteFocus() {
  const { pathname } = useLocation();
  useEffect(() => {
    if (handledPath === pathname) return;
    const previous = handledPath;
    handledPath = pathname;
    if (previous === null) return;

    let done = false;
    const settle = () => {
      if (done || !document.querySelector('main h1')) return;
      done = true;
      observer.disconnect();
      window.clearTimeout(timeout);
      const active = document.activeElement;
      const main = document.querySelector('main');
      const fieldHasFocus = active?.matches('input, textarea, select') && main?.contains(active);
      if (!fieldHasFocus) focusPageHeading();
      // useDocumentTitle sets the title in an effect of the screen, by now run.
      window.setTimeout(() => announce(document.title), 0);
    };
    const observer = new MutationObserver(settle);
    observer.observe(document.body, { childList: true, subtree: true });
    const timeout = window.setTimeout(() => {
      observer.disconnect();
      done = true;
    }, 10_000);
    settle();
    return () => {
      observer.disconnect();
      window.clearTimeout(timeout);
      // Unmounted before the heading came (or React's development double run): let the next run
      // handle this page change again.
      if (!done && handledPath === pathname) handledPath = previous;
    };
  }, [pathname]);
}
