const variables = {
  prodname: 'Acme Pro',
};

module.exports = variables;
