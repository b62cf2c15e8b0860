// Variables for `$[name]` in the Acme Pro next docs.
// The variables plugin replaces `$[prodname]` and friends in every page of this folder.
const variables = {
  prodname: 'Acme Pro',
  prodnamedash: 'acme-pro',
  version: 'main',
  releaseTitle: 'main',
  registry: 'registry.acme.example/',
  manifestsUrl: 'https://docs.acme.example/acme-pro/next',
  noderunning: 'acme-pro-node',
  imageNames: {
    node: 'acme-pro/node',
    operator: 'acme/operator',
    'acme/typha': 'acme/typha',
  },
  operator: {
    image: 'acme/operator',
    version: 'main',
  },
};

module.exports = variables;
