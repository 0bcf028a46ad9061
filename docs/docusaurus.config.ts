import {themes as prismThemes} from 'prism-react-renderer';
import type {Config} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';

// This file runs in Node.js at build time. Keep it free of browser code.
//
// House rule: nothing may be downloaded while building or viewing the site
// except packages from the npm registry. So: no remote fonts, no CDN scripts,
// no analytics, no external search service. Search is the local plugin below,
// which builds its index at build time and serves it with the site.

const config: Config = {
  title: 'DIDtron Docs',
  tagline: 'Self-hostable VoIP operator platform: SIP trunks, DIDs and hosted PBX',
  favicon: 'img/favicon.svg',

  future: {
    v4: true,
  },

  url: 'https://docs.pbx.didtron.com',
  baseUrl: '/',
  trailingSlash: false,

  // A broken link, Markdown link or anchor fails the build.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {
    hooks: {
      // This is where Docusaurus 3.9+ reads `onBrokenMarkdownLinks`
      // (the top-level option is deprecated and only forwarded here).
      onBrokenMarkdownLinks: 'throw',
    },
  },

  i18n: {
    defaultLocale: 'en',
    locales: ['en'],
  },

  presets: [
    [
      'classic',
      {
        docs: {
          // Docs-only site: the documentation is served from the site root.
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
        },
        blog: false,
        theme: {
          customCss: './src/css/custom.css',
        },
      } satisfies Preset.Options,
    ],
  ],

  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        language: ['en'],
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: '/',
        highlightSearchTermsOnTargetPage: true,
        explicitSearchResultPath: true,
      },
    ],
  ],

  themeConfig: {
    colorMode: {
      respectPrefersColorScheme: true,
    },
    navbar: {
      title: 'DIDtron Docs',
      logo: {
        alt: 'DIDtron',
        src: 'img/logo.svg',
      },
      items: [
        {
          type: 'docSidebar',
          sidebarId: 'docs',
          position: 'left',
          label: 'Documentation',
        },
        {
          to: '/getting-started',
          label: 'Getting Started',
          position: 'left',
        },
        {
          to: '/self-hosting/configuration',
          label: 'Configuration',
          position: 'left',
        },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Start here',
          items: [
            {label: 'Introduction', to: '/'},
            {label: 'Getting Started', to: '/getting-started'},
          ],
        },
        {
          title: 'Self-hosting',
          items: [
            {label: 'Configuration', to: '/self-hosting/configuration'},
            {label: 'Command line', to: '/self-hosting/command-line'},
            {label: 'Deployment', to: '/self-hosting/deployment'},
          ],
        },
      ],
      copyright: `Copyright © ${new Date().getFullYear()} DIDtron.`,
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['toml', 'bash', 'nginx', 'ini'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
