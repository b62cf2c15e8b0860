const build = (name) => `zephyr/${name}`;

module.exports = {
  prodname: 'Zephyr',
  images: {
    agent: build('agent'),
  },
};
