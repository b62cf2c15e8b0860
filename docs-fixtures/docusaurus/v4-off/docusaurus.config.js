module.exports = {
  presets: [['classic', { docs: {}, blog: false }]],
};
