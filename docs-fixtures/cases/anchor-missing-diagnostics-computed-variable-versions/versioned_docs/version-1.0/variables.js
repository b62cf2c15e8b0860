module.exports = {
  chartName: 'chartname',
};
