const variables = {
  prodname: 'Acme',
  whiskerImage: 'acme/whisker',
};

module.exports = variables;
