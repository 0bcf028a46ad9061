// Runs before the page paints so a dark-mode visitor never sees a white flash.
// Mirrors Mantine's localStorageColorSchemeManager (key: src/theme/index.ts).
(function () {
  var scheme = 'auto';
  try {
    scheme = window.localStorage.getItem('didtron-color-scheme') || 'auto';
  } catch (e) {
    // Storage may be blocked; follow the system.
  }
  if (scheme !== 'light' && scheme !== 'dark') {
    scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.setAttribute('data-mantine-color-scheme', scheme);
})();
