// The route list the real Docusaurus computes for a site: the reference side of
// tests/docusaurus_routes.rs.
//
//   node tests/docusaurus-oracle/routes.mjs SITE [--work DIR] [--load-only] [--format text|json]
//
// SITE is copied to DIR/site (a fresh temporary folder by default), given this folder's
// node_modules, and built with `docusaurus build --no-minify`. The list printed is what a link can
// land on in the built site:
//   - every path the build renders (`routesPaths`, the list the static-site generator writes one
//     HTML file for, the 404 page included), with its trailing slash as Docusaurus writes it, and
//     a kind named after the route's theme component (`doc`, `blog-post`, `page`, ...);
//   - every HTML file `postBuild` wrote that is not a rendered route: client redirects
//     (`redirect`);
//   - every file of the static directories (`static`).
// Paths are as Docusaurus writes them: not percent-encoded.
// Other generated files (feeds, `sitemap.xml`, bundles under `assets/`) are not listed: a
// Markdown link to them is broken for Docusaurus too. The script checks that every rendered path
// has its HTML file in the build output and that no HTML file is left unexplained, so the list is
// the build's, not only the loaded site's.
//
// `--load-only` skips bundling and rendering: the site is loaded with the same `loadSite` the
// build calls (plugins' `loadContent` and `contentLoaded`), which gives the same `routesPaths` in
// a few seconds but cannot see client redirects (they are written after rendering), so those are
// then listed from the plugin's options instead. The test uses the full build.
//
// Offline: no update check (NO_UPDATE_NOTIFIER), no telemetry exists in Docusaurus 3, and the
// site has no remote content.

import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node routes.mjs SITE [--work DIR] [--load-only] [--format text|json]\n`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
let siteArg;
let work;
let loadOnly = false;
let format = 'text';
for (let i = 0; i < args.length; i += 1) {
  const a = args[i];
  if (a === '--work') work = args[(i += 1)];
  else if (a === '--load-only') loadOnly = true;
  else if (a === '--format') format = args[(i += 1)];
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (siteArg === undefined) siteArg = a;
  else usage(`unexpected argument ${a}`);
}
if (siteArg === undefined) usage('missing SITE');
if (!['text', 'json'].includes(format)) usage(`unknown format ${format}`);
const siteAbs = path.resolve(siteArg);
const nodeModules = path.join(here, 'node_modules');
if (!fs.existsSync(nodeModules)) {
  usage(`${nodeModules} is missing: run \`npm ci --prefix ${path.relative(process.cwd(), here) || '.'}\``);
}

// Work on a copy, so the fixture never gets `.docusaurus/` or `build/`, and so the site finds
// this folder's packages as its own `node_modules`.
const temporary = work === undefined;
work = path.resolve(work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'docusaurus-oracle-')));
if (temporary) process.on('exit', () => fs.rmSync(work, {recursive: true, force: true}));
const siteDir = path.join(work, 'site');
const outDir = path.join(work, 'build');
fs.rmSync(siteDir, {recursive: true, force: true});
fs.rmSync(outDir, {recursive: true, force: true});
fs.cpSync(siteAbs, siteDir, {
  recursive: true,
  filter: (src) => !['node_modules', '.docusaurus', 'build'].includes(path.basename(src)),
});
fs.symlinkSync(nodeModules, path.join(siteDir, 'node_modules'), 'dir');

const env = {...process.env, NO_UPDATE_NOTIFIER: '1', DOCUSAURUS_IGNORE_SSG_WARNINGS: 'true'};
const corePkg = require('@docusaurus/core/package.json');
const started = process.hrtime.bigint();
if (!loadOnly) {
  const cli = path.join(nodeModules, '@docusaurus/core/bin/docusaurus.mjs');
  const run = spawnSync(process.execPath, [cli, 'build', '--no-minify', '--out-dir', outDir], {
    cwd: siteDir,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    process.stderr.write(`docusaurus build failed (exit ${run.status})\n`);
    process.exit(1);
  }
}
const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;

// The same loading the build does first; `routesPaths` is what the build renders.
// As `docusaurus build` sets it: preset-classic adds the debug plugin's routes outside production.
Object.assign(process.env, env, {NODE_ENV: 'production', BABEL_ENV: 'production'});
process.chdir(siteDir);
const {loadSite} = require('@docusaurus/core/lib/server/site.js');
const {props} = await loadSite({siteDir, outDir, locale: undefined});
const {baseUrl} = props.siteConfig;

/** Theme component → kind, for the route kinds docdrift names. */
const KINDS = {
  '@theme/DocItem': 'doc',
  '@theme/DocCategoryGeneratedIndexPage': 'generated-index',
  '@theme/DocTagsListPage': 'doc-tags',
  '@theme/DocTagDocListPage': 'doc-tag',
  '@theme/BlogPostPage': 'blog-post',
  '@theme/BlogListPage': 'blog-list',
  '@theme/BlogTagsListPage': 'blog-tags',
  '@theme/BlogTagsPostsPage': 'blog-tag',
  '@theme/BlogArchivePage': 'blog-archive',
  '@theme/Blog/Pages/BlogAuthorsListPage': 'blog-authors',
  '@theme/Blog/Pages/BlogAuthorsPostsPage': 'blog-author',
  '@theme/MDXPage': 'page',
};

function kindOf(component) {
  if (KINDS[component]) return KINDS[component];
  // A React page of `src/pages` is routed to its own module.
  if (component.startsWith('@site/src/pages/')) return 'page';
  return `other:${component}`;
}

/** Leaf routes, as `flattenRoutes` gives them, with a source file where the route has one. */
function leaves(routes, out = []) {
  for (const r of routes) {
    if (r.routes && r.routes.length > 0) leaves(r.routes, out);
    else out.push(r);
  }
  return out;
}

function sourceOf(route) {
  const fromModules = [route.modules?.content, route.metadata?.sourceFilePath]
    .map((m) => (typeof m === 'string' ? m : m?.path))
    .find((m) => typeof m === 'string' && m.startsWith('@site/'));
  if (fromModules) return fromModules.slice('@site/'.length);
  if (route.metadata?.sourceFilePath) return route.metadata.sourceFilePath;
  return undefined;
}

const entries = new Map();
function add(route, kind, source) {
  if (!entries.has(route)) entries.set(route, {route, kind, ...(source ? {source} : {})});
}
const notFound = props.routesPaths.find((p) => p.endsWith('/404.html'));
if (notFound) add(notFound, 'not-found');
for (const r of leaves(props.routes)) {
  if (r.path === '*') continue;
  add(r.path, kindOf(r.component), sourceOf(r));
}
const unexplained = props.routesPaths.filter((p) => !entries.has(p));
if (unexplained.length > 0) {
  process.stderr.write(`rendered paths without a route: ${unexplained.join(', ')}\n`);
  process.exit(1);
}

/** The HTML file the build writes for a rendered path (`pathnameToFilename` of core's SSG). */
function htmlFileOf(routePath) {
  const rel = routePath.slice(baseUrl.length);
  const {trailingSlash} = props.siteConfig;
  if (/\.html?$/i.test(rel)) return rel;
  if (trailingSlash === undefined || rel === '' || rel.endsWith('/') || trailingSlash) {
    return path.posix.join(rel, 'index.html');
  }
  return `${rel}.html`;
}

/** The path an HTML file of the build answers, the other way round. */
function pathOfHtml(file) {
  if (file === 'index.html') return baseUrl;
  if (file.endsWith('/index.html')) return baseUrl + file.slice(0, -'/index.html'.length);
  if (props.siteConfig.trailingSlash === false) return baseUrl + file.replace(/\.html$/, '');
  return baseUrl + file;
}

function walk(dir, rel = '', out = []) {
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(path.join(dir, e.name), r, out);
    else out.push(r);
  }
  return out;
}

const renderedFiles = new Set(props.routesPaths.map(htmlFileOf));
if (!loadOnly) {
  const built = new Set(walk(outDir));
  const missing = [...renderedFiles].filter((f) => !built.has(f));
  if (missing.length > 0) {
    process.stderr.write(`rendered paths without an HTML file in the build: ${missing.join(', ')}\n`);
    process.exit(1);
  }
  // HTML that no route renders: written by postBuild (client redirects).
  for (const f of built) {
    if (!f.endsWith('.html') || renderedFiles.has(f)) continue;
    add(pathOfHtml(f), 'redirect');
  }
} else {
  const redirects = props.plugins.find((p) => p.name === 'docusaurus-plugin-client-redirects');
  for (const r of redirects?.options?.redirects ?? []) {
    for (const from of [r.from].flat()) add(baseUrl + from.replace(/^\//, ''), 'redirect');
  }
}

for (const dir of props.siteConfig.staticDirectories) {
  const abs = path.resolve(siteDir, dir);
  if (!fs.existsSync(abs)) continue;
  for (const f of walk(abs)) add(baseUrl + f, 'static', path.posix.join(dir, f));
}

const list = [...entries.values()].sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
const meta = {
  docusaurus: corePkg.version,
  node: process.version,
  mode: loadOnly ? 'loadSite (--load-only)' : 'docusaurus build --no-minify',
  seconds: Math.round(buildSeconds * 10) / 10,
};
if (format === 'json') {
  process.stdout.write(`${JSON.stringify({...meta, routes: list}, null, 2)}\n`);
} else {
  // The header names what produced the list and how to regenerate it (paths from the
  // repository root), so that a committed copy says where it comes from.
  const repo = path.resolve(here, '../..');
  const site = path.relative(repo, siteAbs).split(path.sep).join('/');
  const script = path.relative(repo, fileURLToPath(import.meta.url)).split(path.sep).join('/');
  const oracle = path.relative(repo, here).split(path.sep).join('/');
  const header = [
    `Routes of ${site} as @docusaurus/core ${meta.docusaurus} computes them (\`${meta.mode}\`):`,
    'one per line, sorted, "route<TAB>kind" (see the top of the script for the kinds). Regenerate with',
    `  npm ci --prefix ${oracle}`,
    `  node ${script} ${site} > ${site}/expected-routes.txt`,
  ];
  if (loadOnly) header.push('(--load-only: client redirects come from the plugin options, not the build output)');
  for (const h of header) process.stdout.write(`# ${h}\n`);
  for (const e of list) process.stdout.write(`${e.route}\t${e.kind}\n`);
}
process.stderr.write(
  `docusaurus ${meta.docusaurus} (${meta.mode}): ${list.length} routes in ${meta.seconds} s${temporary ? '' : `, work folder ${work}`}\n`,
);
