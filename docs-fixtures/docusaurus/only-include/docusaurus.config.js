module.exports = {
  presets: [['classic', { docs: { onlyIncludeVersions: ['current', '2.0'] } }]],
};
