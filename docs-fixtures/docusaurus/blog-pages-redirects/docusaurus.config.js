module.exports = {
  baseUrl: '/',
  presets: [['classic', { docs: { routeBasePath: 'docs' }, blog: { routeBasePath: 'news' } }]],
  plugins: [
    [
      '@docusaurus/plugin-client-redirects',
      { redirects: [{ from: ['/old-intro', '/docs/legacy'], to: '/docs/intro' }] },
    ],
  ],
};
