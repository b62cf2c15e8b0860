// The reference slugger for docdrift's differential test (tests/differential.rs).
//
// Reads JSON lines `{"file": ..., "texts": [...], "maintainCase"?: bool}` on stdin and writes one
// line `{"file", "slugs": [...]}` per input line, in order. Each line gets its own
// `new GithubSlugger()`, as one page does in Docusaurus (`createSlugger()` per compiled file), so
// repeated texts get `-1`, `-2`, ...

import {readFileSync} from 'node:fs'
import GithubSlugger from 'github-slugger'

const out = []
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (line.trim() === '') continue
  const {file, texts, maintainCase = false} = JSON.parse(line)
  const slugger = new GithubSlugger()
  out.push(JSON.stringify({file, slugs: texts.map((text) => slugger.slug(text, maintainCase))}))
}
out.push('')
process.stdout.write(out.join('\n'))
