module.exports = {
  prodname: 'Acme',
};
