// scratch: print compact mdast for a file or stdin
import {readFileSync} from 'node:fs'
import {unified} from 'unified'
import remarkParse from 'remark-parse'
import remarkMdx from 'remark-mdx'
import remarkFrontmatter from 'remark-frontmatter'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
const p = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ['yaml']).use(remarkDirective).use(remarkGfm)
const text = readFileSync(process.argv[2] ?? 0, 'utf8')
let tree
try { tree = p.parse(text) } catch (e) { console.log('ERROR', e.line, e.column, e.reason ?? e.message); process.exit(0) }
function show(n, d) {
  const pos = n.position ? `${n.position.start.offset}-${n.position.end.offset}` : '?'
  let extra = ''
  if ('value' in n) extra = ' ' + JSON.stringify(n.value)
  if (n.url !== undefined) extra += ' url=' + JSON.stringify(n.url)
  if (n.name !== undefined) extra += ' name=' + n.name
  if (n.lang !== undefined) extra += ' lang=' + n.lang + ' meta=' + JSON.stringify(n.meta)
  if (n.depth !== undefined) extra += ' depth=' + n.depth
  if (n.identifier !== undefined) extra += ' id=' + n.identifier
  console.log('  '.repeat(d) + n.type + ' ' + pos + extra)
  for (const c of n.children ?? []) show(c, d + 1)
}
show(tree, 0)
