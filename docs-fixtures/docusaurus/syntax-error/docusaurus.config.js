module.exports = {
  baseUrl: '/',,
};
