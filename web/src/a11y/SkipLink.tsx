import type { MouseEvent } from 'react';
import { focusPageHeading } from './focus';

/**
 * "Skip to content": the first Tab stop of every page, visible only while focused (styles in
 * src/theme/index.css). It moves focus to the page's heading, past the header and navigation.
 */
export function SkipLink() {
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault(); // no #hash navigation for the router to handle
    focusPageHeading();
  };
  return (
    <a href="#main-content" className="didtron-skip-link" onClick={skip}>
      Skip to content
    </a>
  );
}
