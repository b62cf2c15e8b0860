const variables = {
  prodname: 'Acme',
  prodnamedash: 'acme',
  version: 'v2.0',
  tag: 'v2.0.1',
  tags: 'v2.0.1,latest',
};

module.exports = variables;
