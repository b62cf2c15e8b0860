module.exports = {
  presets: [['classic', { docs: { lastVersion: 'current', versions: { current: { label: 'Canary' } } } }]],
};
