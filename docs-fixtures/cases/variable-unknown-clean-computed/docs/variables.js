import { imageRef } from './lib/images';

const tracks = [{ ver: 'v4.2.0' }];
const preview = false;

const variables = {
  prodname: 'Zephyr',
  chartSuffix: preview ? '-beta' : '',
  shortVersion: tracks[0].ver.slice(1),
  majorMinor: tracks[0].ver.split('.').slice(0, 2).join('.'),
  mirrorUrl: 'https://mirror.example.org/' + tracks[0].ver,
  images: {
    agent: imageRef('zephyr-agent', tracks[0].ver),
    relay: 'zephyr/relay',
  },
};

module.exports = variables;
