const variables = {
  prodname: 'Acme',
  version: 'v1.1',
  imageNames: {
    node: 'acme/node',
  },
};

module.exports = variables;
