// Site-wide variables for `$[name]`: a page's own version folder is searched first, then this
// file. Version-specific values (prodname, version, image names) live in each version's
// variables.js.
const variables = {
  orgName: 'Acme Networks',
  supportUrl: 'https://support.acme.example',
  chartsUrl: 'https://charts.acme.example',
};

module.exports = variables;
