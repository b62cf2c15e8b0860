// Variables for `$[name]` in the Acme Pro 1.4-2 docs.
// The variables plugin replaces `$[prodname]` and friends in every page of this folder.
const variables = {
  prodname: 'Acme Pro',
  prodnamedash: 'acme-pro',
  version: 'v1.4.2',
  releaseTitle: 'v1.4.2',
  registry: 'registry.acme.example/',
  manifestsUrl: 'https://docs.acme.example/acme-pro/1.4',
  noderunning: 'acme-pro-node',
  imageNames: {
    node: 'acme-pro/node',
    operator: 'acme/operator',
    'acme/typha': 'acme/typha',
  },
  operator: {
    image: 'acme/operator',
    version: 'v1.37.1',
  },
};

module.exports = variables;
