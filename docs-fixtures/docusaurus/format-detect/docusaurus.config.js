module.exports = {
  markdown: { format: 'detect' },
  future: { v4: true },
  presets: [['classic', { docs: {}, blog: false }]],
};
