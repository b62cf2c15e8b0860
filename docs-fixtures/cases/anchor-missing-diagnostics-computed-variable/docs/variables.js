const channel = 'stable';

module.exports = {
  prodname: 'Zephyr',
  chartName: channel === 'stable' ? 'zephyr' : 'zephyr-edge',
};
