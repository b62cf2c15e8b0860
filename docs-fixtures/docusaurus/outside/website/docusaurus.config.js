// The site lives in website/; the docs next to it.
module.exports = {
  baseUrl: '/',
  presets: [['classic', { docs: { path: '../docs', routeBasePath: 'guide' }, blog: false, pages: false }]],
};
