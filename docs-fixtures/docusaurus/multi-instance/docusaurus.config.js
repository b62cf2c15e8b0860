// Several docs instances with <id>_versions.json, the BUILD_NEXT pattern and versions.<v>.path.
const nextVersion = process.env.BUILD_NEXT === 'true' ? ['current'] : [];

function instance(id, last, versions) {
  return [
    '@docusaurus/plugin-content-docs',
    {
      id,
      path: id,
      routeBasePath: id,
      onlyIncludeVersions: [...nextVersion, ...Object.keys(versions)],
      lastVersion: last,
      versions: { current: { label: 'Next', path: 'next' }, ...versions },
    },
  ];
}

export default async function createConfig() {
  const config = {
    title: 'Gizmo',
    baseUrl: '/',
    future: { v4: { mdx1CompatDisabledByDefault: true } },
    presets: [['classic', { docs: { path: 'default', sidebarPath: false }, blog: false }]],
    plugins: [
      [
        '@docusaurus/plugin-content-docs',
        {
          id: 'gizmo',
          path: 'gizmo',
          routeBasePath: 'gizmo',
          onlyIncludeVersions: [...nextVersion, '3.2', '3.1'],
          lastVersion: '3.2',
          versions: {
            current: { label: 'Next', path: 'next' },
            3.2: { label: '3.2 (latest)', path: 'latest' },
            3.1: { label: '3.1', path: '3.1' },
          },
        },
      ],
      instance('gizmo-pro', '2.0-1', { '2.0-1': { label: '2.0', path: 'latest' } }),
    ],
  };
  return config;
}
