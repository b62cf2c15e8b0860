// One docs instance (the classic preset) with two released versions.
module.exports = {
  title: 'Widget',
  url: 'https://widget.example',
  baseUrl: '/',
  presets: [
    [
      'classic',
      {
        docs: { sidebarPath: require.resolve('./sidebars.js') },
        blog: false,
      },
    ],
  ],
};
