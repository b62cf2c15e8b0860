const variables = {
  prodname: 'Acme',
  manifestsUrl: 'https://docs.acme.example/manifests',
};

module.exports = variables;
