// A small Docusaurus 3 site whose routes the real build lists (tests/docusaurus-oracle) and
// `docdrift routes` must reproduce (tests/docusaurus_routes.rs). Only preset-classic and the
// client-redirects plugin; no custom components.

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Oracle site',
  url: 'https://docs.example.com',
  baseUrl: '/docs-site/',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {
    hooks: {onBrokenMarkdownLinks: 'throw'},
  },
  presets: [
    [
      'classic',
      {
        docs: {
          sidebarPath: './sidebars.js',
          versions: {
            '1.0': {path: 'legacy'},
          },
        },
        blog: {
          onUntruncatedBlogPosts: 'ignore',
        },
        theme: {},
      },
    ],
  ],
  plugins: [
    [
      '@docusaurus/plugin-content-docs',
      {
        id: 'community',
        path: 'community',
        routeBasePath: 'community-hub',
        sidebarPath: './sidebars.js',
      },
    ],
    [
      '@docusaurus/plugin-client-redirects',
      {
        redirects: [
          {from: '/old-welcome', to: '/docs/welcome'},
          {from: ['/setup', '/start'], to: '/docs/next/getting-started/setup'},
        ],
      },
    ],
  ],
};

module.exports = config;
