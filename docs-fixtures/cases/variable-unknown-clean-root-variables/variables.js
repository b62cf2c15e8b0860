// Site-wide variables: used when a version folder does not define the name.
const variables = {
  orgName: 'Acme Networks',
};

module.exports = variables;
