// Variables for `$[name]` in the Acme 2.0 docs.
// The variables plugin replaces `$[prodname]` and friends in every page of this folder.
const variables = {
  prodname: 'Acme',
  prodnamedash: 'acme',
  version: 'v2.0',
  releaseTitle: 'v2.0.5',
  registry: 'quay.io/',
  manifestsUrl: 'https://docs.acme.example/acme/2.0',
  noderunning: 'acme-node',
  imageNames: {
    node: 'acme/node',
    operator: 'acme/operator',
    'acme/typha': 'acme/typha',
  },
  operator: {
    image: 'acme/operator',
    version: 'v1.36.4',
  },
};

module.exports = variables;
