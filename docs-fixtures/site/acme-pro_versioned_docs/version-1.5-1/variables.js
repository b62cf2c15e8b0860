// Variables for `$[name]` in the Acme Pro 1.5-1 docs.
// The variables plugin replaces `$[prodname]` and friends in every page of this folder.
const variables = {
  prodname: 'Acme Pro',
  prodnamedash: 'acme-pro',
  version: 'v1.5.1',
  releaseTitle: 'v1.5.1',
  registry: 'registry.acme.example/',
  manifestsUrl: 'https://docs.acme.example/acme-pro/1.5',
  noderunning: 'acme-pro-node',
  imageNames: {
    node: 'acme-pro/node',
    operator: 'acme/operator',
    'acme/typha': 'acme/typha',
  },
  operator: {
    image: 'acme/operator',
    version: 'v1.39.0',
  },
};

module.exports = variables;
