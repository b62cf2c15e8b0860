const variables = {
  prodname: 'Acme',
  version: 'v1.0',
  imageNames: {
    node: 'acme/node',
  },
};

module.exports = variables;
