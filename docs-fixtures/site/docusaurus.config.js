// The parts of a Docusaurus config that docdrift.toml restates (docdrift never runs this file).
module.exports = {
  title: 'Acme docs',
  url: 'https://docs.acme.example',
  baseUrl: '/',
  future: { v4: true }, // turns markdown.mdx1Compat off: no `{#id}` headings, no `:::note Title`
  presets: [['classic', { docs: false }]],
  plugins: [
    [
      '@docusaurus/plugin-content-docs',
      {
        id: 'acme',
        path: 'acme',
        routeBasePath: 'acme',
        sidebarPath: require.resolve('./sidebars-acme.js'),
        lastVersion: '2.1',
        versions: {
          current: { label: 'Next', path: 'next' },
          '2.1': { label: '2.1', path: 'latest' },
          '2.0': { label: '2.0', path: '2.0' },
        },
      },
    ],
    [
      '@docusaurus/plugin-content-docs',
      {
        id: 'acme-pro',
        path: 'acme-pro',
        routeBasePath: 'acme-pro',
        sidebarPath: require.resolve('./sidebars-acme-pro.js'),
        lastVersion: '1.4-2', // 1.5-1 is an early preview
        versions: {
          current: { label: 'Next', path: 'next' },
          '1.5-1': { label: '1.5 (early preview)', path: '1.5' },
          '1.4-2': { label: '1.4', path: 'latest' },
        },
      },
    ],
  ],
};
