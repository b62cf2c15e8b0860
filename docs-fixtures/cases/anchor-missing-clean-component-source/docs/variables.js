const variables = {
  prodname: 'Acme',
  prodnamedash: 'acme',
};
module.exports = variables;
