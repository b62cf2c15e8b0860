// Variables for `$[name]` in the Acme next docs.
// The variables plugin replaces `$[prodname]` and friends in every page of this folder.
const variables = {
  prodname: 'Acme',
  prodnamedash: 'acme',
  version: 'main',
  releaseTitle: 'main',
  registry: 'quay.io/',
  manifestsUrl: 'https://docs.acme.example/acme/next',
  noderunning: 'acme-node',
  imageNames: {
    node: 'acme/node',
    operator: 'acme/operator',
    'acme/typha': 'acme/typha',
  },
  operator: {
    image: 'acme/operator',
    version: 'main',
  },
};

module.exports = variables;
