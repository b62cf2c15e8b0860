module.exports = {
  future: { v4: true },
  presets: [['classic', { docs: {}, blog: false }]],
};
