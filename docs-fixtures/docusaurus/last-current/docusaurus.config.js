module.exports = {
  presets: [['classic', { docs: { lastVersion: 'current', exclude: ['**/drafts/**'], versions: { current: { label: 'Canary' } } } }]],
};
