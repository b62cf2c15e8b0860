// Served under /docs/, the docs at its root.
module.exports = {
  baseUrl: '/docs/',
  trailingSlash: false,
  staticDirectories: ['static', 'assets'],
  presets: [['classic', { docs: { routeBasePath: '/' }, blog: false }]],
};
