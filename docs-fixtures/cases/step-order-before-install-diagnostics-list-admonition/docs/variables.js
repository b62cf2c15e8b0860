export default { manifestsUrl: 'https://example.com/calico' };
