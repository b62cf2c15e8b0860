import type { Config } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import versions from './versions.json';

const config: Config = {
  title: 'Typed',
  baseUrl: '/',
  markdown: { anchors: { maintainCase: true } },
  presets: [
    [
      'classic',
      {
        docs: { lastVersion: versions[0], versions: { [versions[0]]: { label: `v${versions[0]}` } } },
        blog: false,
      } satisfies Preset.Options,
    ],
  ],
};

export default config;
