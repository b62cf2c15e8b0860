// Variables for `$[name]` in the Acme 2.1 docs.
// The variables plugin replaces `$[prodname]` and friends in every page of this folder.
const variables = {
  prodname: 'Acme',
  prodnamedash: 'acme',
  version: 'v2.1',
  releaseTitle: 'v2.1.3',
  registry: 'quay.io/',
  manifestsUrl: 'https://docs.acme.example/acme/2.1',
  noderunning: 'acme-node',
  imageNames: {
    node: 'acme/node',
    operator: 'acme/operator',
    'acme/typha': 'acme/typha',
  },
  operator: {
    image: 'acme/operator',
    version: 'v1.38.2',
  },
};

module.exports = variables;
