const variables = {
  prodname: 'Acme',
};

module.exports = variables;
