const channel = 'stable';

module.exports = {
  chartName: channel === 'stable' ? 'chartname' : 'chartname-edge',
};
