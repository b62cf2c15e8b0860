const variables = {
  prodname: 'Acme',
  version: 'v1.1',
};

module.exports = variables;
