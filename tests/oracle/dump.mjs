// The reference side of docdrift's differential test (tests/differential.rs).
//
// Reads file paths, one a line on stdin, relative to the root given as argv[2]. Each file is
// parsed with the parse phase that @mdx-js/mdx 3 runs inside Docusaurus 3.10 (remark-parse,
// remark-mdx, then the remark plugins Docusaurus adds whose syntax extensions change parsing:
// remark-frontmatter, remark-directive, remark-gfm, in Docusaurus's order), and the tree then goes
// through the rest of @mdx-js/mdx's `compile` (its transforms and serializer) to catch errors
// that only those phases throw. Writes one JSON line per file, in input order:
//
//   {"path", "error": null | {"message", "offset", "line", "column", "phase", "source", "ruleId"},
//    "headings": [{depth, text, id, start, end}],
//    "links": [{type, url, identifier, label, text, start, end, inferred?}],
//    "definitions": [{identifier, label, url, title, start, end}],
//    "code": [{lang, meta, value, start, end}],
//    "jsx": [{name, kind: "flow" | "text", start, end}],
//    "directives": [{name, kind: "container" | "leaf" | "text", start, end}]}
//
// `start`/`end` (and the error's `offset`) are mdast offsets: UTF-16 code units. A file that
// the parser rejects has empty lists and `error.phase` "parse"; a file that parses but does not
// compile has its lists and `error.phase` "compile"; "read" and "oracle" are this script's own
// failures. References carry the `url` of their definition (the first one with that identifier).
// `inferred` marks a link whose offsets mdast does not have (see `inferLiteralSpan`). Heading `text` and `id` follow @docusaurus/mdx-loader's headings plugin
// (src/remark/headings/index.ts, 3.10): see `headingTextAndId` below.
//
// Work is spread over a pool of worker_threads, one per CPU (`DOCDRIFT_ORACLE_WORKERS` overrides).

import {readFileSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import path from 'node:path'
import {Worker, isMainThread, parentPort, workerData} from 'node:worker_threads'

if (isMainThread) {
  await main()
} else {
  await worker()
}

async function main() {
  const root = process.argv[2]
  if (!root) {
    process.stderr.write('usage: node dump.mjs ROOT < paths\n')
    process.exit(2)
  }
  const input = readFileSync(0, 'utf8')
  const paths = input.split('\n').filter((line) => line.length > 0)
  const requested = Number.parseInt(process.env.DOCDRIFT_ORACLE_WORKERS ?? '', 10)
  const count = Math.max(
    1,
    Math.min(paths.length, requested > 0 ? requested : availableParallelism())
  )

  // Results are written in input order; `pending` holds the ones that finished early.
  const pending = new Map()
  let nextToWrite = 0
  let nextToSend = 0
  const chunks = []
  let chunkBytes = 0

  function flush(force) {
    if (chunkBytes > (1 << 20) || (force && chunks.length > 0)) {
      process.stdout.write(chunks.join(''))
      chunks.length = 0
      chunkBytes = 0
    }
  }

  function record(index, line) {
    pending.set(index, line)
    while (pending.has(nextToWrite)) {
      const next = pending.get(nextToWrite)
      pending.delete(nextToWrite)
      chunks.push(next, '\n')
      chunkBytes += next.length + 1
      nextToWrite++
    }
    flush(false)
  }

  await new Promise((resolve, reject) => {
    let running = 0
    if (paths.length === 0) {
      resolve()
      return
    }
    for (let w = 0; w < count; w++) {
      const worker = new Worker(new URL(import.meta.url), {workerData: {root}})
      running++
      let current = -1
      const sendNext = () => {
        if (nextToSend < paths.length) {
          current = nextToSend++
          worker.postMessage({index: current, path: paths[current]})
        } else {
          current = -1
          worker.postMessage(null)
        }
      }
      worker.on('message', ({index, line}) => {
        record(index, line)
        sendNext()
      })
      worker.on('error', (error) => {
        // A crash of the worker itself (not of one file): report the file it held, go on
        // without this worker.
        if (current >= 0) {
          record(
            current,
            JSON.stringify(
              emptyResult(paths[current], {
                message: 'oracle worker crashed: ' + String(error?.stack ?? error),
                offset: null,
                line: null,
                column: null,
                phase: 'oracle',
                source: null,
                ruleId: null
              })
            )
          )
        }
        current = -1
      })
      worker.on('exit', () => {
        // If one worker died, the others drain the queue.
        running--
        if (running === 0) {
          if (nextToWrite === paths.length) resolve()
          else reject(new Error('all oracle workers exited with files left'))
        }
      })
      sendNext()
    }
  })
  flush(true)
}

async function worker() {
  const [
    {unified},
    {default: remarkParse},
    {default: remarkMdx},
    {default: remarkFrontmatter},
    {default: remarkDirective},
    {default: remarkGfm},
    {createProcessor},
    {toString},
    {visit}
  ] = await Promise.all([
    import('unified'),
    import('remark-parse'),
    import('remark-mdx'),
    import('remark-frontmatter'),
    import('remark-directive'),
    import('remark-gfm'),
    import('@mdx-js/mdx'),
    import('mdast-util-to-string'),
    import('unist-util-visit')
  ])

  const processor = unified()
    .use(remarkParse)
    .use(remarkMdx)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkDirective)
    .use(remarkGfm)
    .freeze()
  // What `compile(text, compileOptions)` of @mdx-js/mdx runs. Its parser is `processor` above
  // (remark-parse, remark-mdx, then the same syntax plugins in the same order), so instead of
  // parsing every file twice the tree from `processor` goes through its transforms and
  // serializer: `run` + `stringify` is `compile` minus the parse.
  const mdxProcessor = createProcessor({
    format: 'mdx',
    remarkPlugins: [[remarkFrontmatter, ['yaml']], remarkDirective, remarkGfm]
  })
  const {root} = workerData

  parentPort.on('message', async (message) => {
    if (message === null) {
      parentPort.close()
      return
    }
    const result = await dumpOne(message.path)
    parentPort.postMessage({index: message.index, line: JSON.stringify(result)})
  })

  async function dumpOne(relative) {
    let text
    try {
      text = readFileSync(path.join(root, relative), 'utf8')
    } catch (error) {
      return emptyResult(relative, errorInfo(error, 'read'))
    }
    let tree
    try {
      tree = processor.parse(text)
    } catch (error) {
      return emptyResult(relative, errorInfo(error, 'parse'))
    }
    const result = emptyResult(relative, null)
    try {
      extract(tree, result, text)
    } catch (error) {
      result.error = errorInfo(error, 'oracle')
      return result
    }
    try {
      mdxProcessor.stringify(await mdxProcessor.run(tree, text), text)
    } catch (error) {
      result.error = errorInfo(error, 'compile')
    }
    return result
  }

  function extract(tree, result, source) {
    // Definitions first: references carry the url of the first matching definition, as
    // mdast-util-definitions (and so remark-rehype) resolves them.
    const definitionUrls = new Map()
    const inferredEnds = new Map()
    visit(tree, 'definition', (node) => {
      if (!definitionUrls.has(node.identifier)) definitionUrls.set(node.identifier, node.url)
    })

    visit(tree, (node, index, parent) => {
      switch (node.type) {
        case 'heading': {
          const {text, id} = headingTextAndId(node)
          result.headings.push({depth: node.depth, text, id, ...span(node)})
          break
        }
        case 'link':
        case 'image':
          result.links.push({
            type: node.type,
            url: node.url,
            identifier: null,
            label: null,
            text: toString(node),
            ...(node.position
              ? span(node)
              : inferLiteralSpan(node, index, parent, source, inferredEnds))
          })
          break
        case 'linkReference':
        case 'imageReference':
          result.links.push({
            type: node.type,
            url: definitionUrls.get(node.identifier) ?? '',
            identifier: node.identifier,
            label: node.label ?? null,
            text: toString(node),
            ...span(node)
          })
          break
        case 'definition':
          result.definitions.push({
            identifier: node.identifier,
            label: node.label ?? null,
            url: node.url,
            title: node.title ?? null,
            ...span(node)
          })
          break
        case 'code':
          result.code.push({
            lang: node.lang ?? null,
            meta: node.meta ?? null,
            value: node.value,
            ...span(node)
          })
          break
        case 'mdxJsxFlowElement':
        case 'mdxJsxTextElement':
          result.jsx.push({
            name: node.name ?? null,
            kind: node.type === 'mdxJsxFlowElement' ? 'flow' : 'text',
            ...span(node)
          })
          break
        case 'containerDirective':
        case 'leafDirective':
        case 'textDirective':
          result.directives.push({
            name: node.name,
            kind: node.type.slice(0, -'Directive'.length),
            ...span(node)
          })
          break
        default:
          break
      }
    })
  }

  // A GFM literal autolink that micromark did not tokenize (one right after `[`, as in
  // `[https://x.org]`) is made by mdast-util-gfm-autolink-literal's find-and-replace pass, which
  // gives the link (and the text split around it) no position. Its source is the literal text,
  // between the previous positioned sibling (or an earlier inferred link) and the next one:
  // find it there, and mark the span `inferred`. Not found (escapes in the url): null offsets.
  function inferLiteralSpan(node, index, parent, source, inferredEnds) {
    const literal = toString(node)
    let from = parent?.position?.start?.offset
    for (let i = index - 1; i >= 0; i--) {
      const sibling = parent.children[i]
      if (sibling.position) {
        from = sibling.position.end.offset
        break
      }
      if (inferredEnds.has(sibling)) {
        from = inferredEnds.get(sibling)
        break
      }
    }
    let to = parent?.position?.end?.offset
    for (let i = index + 1; i < (parent?.children.length ?? 0); i++) {
      const sibling = parent.children[i]
      if (sibling.position) {
        to = sibling.position.start.offset
        break
      }
    }
    const at = from === undefined ? -1 : source.indexOf(literal, from)
    if (at < 0 || to === undefined || at + literal.length > to) {
      return {start: null, end: null, inferred: true}
    }
    inferredEnds.set(node, at + literal.length)
    return {start: at, end: at + literal.length, inferred: true}
  }

  // @docusaurus/mdx-loader 3.10, src/remark/headings/index.ts, on a copy of the heading (the
  // plugin mutates it): an explicit id from a last-child `{/* #id */}` comment expression, else
  // the classic `{#id}` at the end of the text (`parseMarkdownHeadingId`), else none (the id is
  // then the slug of `text`, which slugs.mjs computes). `text` is the heading's text after the
  // plugin removed the id, through the same `getHeadingText` it slugs.
  function headingTextAndId(original) {
    const heading = structuredClone({type: 'heading', children: original.children})

    function getHeadingText() {
      const textNodes = heading.children.filter(({type}) => !['html', 'jsx'].includes(type))
      return toString(textNodes.length > 0 ? textNodes : heading)
    }

    let id = extractCommentId(heading)
    if (id === undefined) {
      const headingText = getHeadingText()
      id = extractLegacySyntaxId(heading, headingText)
      if (id === undefined) return {text: headingText, id: null}
    }
    return {text: getHeadingText(), id}
  }

  function getCommentContentHeadingId(comment) {
    const firstPart = comment.trim().split(' ')[0]
    if (firstPart?.startsWith('#')) return firstPart.slice(1) || undefined
    return undefined
  }

  function getCommentHeadingId(heading) {
    const lastChild = heading.children.at(-1)
    if (lastChild && lastChild.type === 'mdxTextExpression' && lastChild.data?.estree) {
      const program = lastChild.data.estree
      if (program.body.length === 0 && program.comments?.length === 1) {
        return getCommentContentHeadingId(program.comments[0].value)
      }
    }
    if (lastChild?.type === 'html') {
      const match = /^<!--(?<comment>[\s\S]*)-->$/.exec(lastChild.value)
      if (match?.groups?.comment) return getCommentContentHeadingId(match.groups.comment)
    }
    return undefined
  }

  function extractCommentId(heading) {
    const commentId = getCommentHeadingId(heading)
    if (commentId) {
      heading.children.pop()
      const newLast = heading.children.at(-1)
      if (newLast?.type === 'text') newLast.value = newLast.value.trimEnd()
      return commentId
    }
    return undefined
  }

  function extractLegacySyntaxId(heading, headingText) {
    const parsedHeading = parseMarkdownHeadingId(headingText)
    if (parsedHeading.id) {
      const lastNode = heading.children.at(-1)
      if (heading.children.length > 1) {
        const lastNodeText = parseMarkdownHeadingId(lastNode.value).text
        if (lastNodeText) lastNode.value = lastNodeText
        else heading.children.pop()
      } else {
        lastNode.value = parsedHeading.text
      }
      return parsedHeading.id
    }
    return undefined
  }
}

// @docusaurus/utils 3.10, src/markdownHeadingIdUtils.ts (classic syntax).
function parseMarkdownHeadingId(heading) {
  const customHeadingIdRegex = /\s*\{#(?<id>(?:.(?!\{#|\}))*.)\}$/
  const matches = customHeadingIdRegex.exec(heading)
  if (matches) {
    return {text: heading.replace(matches[0], ''), id: matches.groups.id.trim()}
  }
  return {text: heading, id: undefined}
}

function span(node) {
  return {
    start: node.position?.start?.offset ?? null,
    end: node.position?.end?.offset ?? null
  }
}

function emptyResult(relative, error) {
  return {
    path: relative,
    error,
    headings: [],
    links: [],
    definitions: [],
    code: [],
    jsx: [],
    directives: []
  }
}

function errorInfo(error, phase) {
  // VFileMessage (micromark, remark-mdx, acorn through micromark-extension-mdx-expression) has
  // `place` (a point or a position) and `line`/`column`; anything else is reported as-is.
  const place = error?.place ?? error?.position ?? null
  const point = place?.start ?? place
  return {
    message: String(error?.reason ?? error?.message ?? error),
    offset: point?.offset ?? null,
    line: point?.line ?? error?.line ?? null,
    column: point?.column ?? error?.column ?? null,
    phase,
    source: error?.source ?? null,
    ruleId: error?.ruleId ?? null
  }
}
