// The build script copies `docs/` into `versioned_docs/version-2.x` before `docusaurus build`.
module.exports = {
  presets: [['classic', { docs: { routeBasePath: '/' }, blog: false }]],
};
