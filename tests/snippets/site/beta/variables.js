const variables = {
  prodname: 'Beta',
  betaname: 'Beta Cloud',
};

module.exports = variables;
