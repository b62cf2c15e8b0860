#!/bin/sh
# Seed the fuzz corpora: this repository's fixtures, plus (when present) a sample of a real
# docs site's pages given as the first argument. Seeds stay out of git (corpus/ is ignored).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
site=${1:-}
mkdir -p "$here/corpus/mdx" "$here/corpus/check_one_file" "$here/corpus/config_toml" "$here/corpus/shell"
find "$here/../docs-fixtures" "$here/../tests" -name '*.md*' -type f | while read -r f; do
  n=$(printf %s "$f" | cksum | cut -d' ' -f1)
  cp "$f" "$here/corpus/mdx/$n"; cp "$f" "$here/corpus/check_one_file/$n"
done
find "$here/../docs-fixtures" "$here/../tests" -name '*.toml' -type f | while read -r f; do
  cp "$f" "$here/corpus/config_toml/$(printf %s "$f" | cksum | cut -d' ' -f1)"
done
cp "$here"/seeds/*.sh "$here/corpus/shell/" 2>/dev/null || true
# The other targets: each from the repository's own files of its kind (files with the same
# content collapse to one seed, named by checksum of the content).
seed() { # target, then find arguments
  t=$1; shift; mkdir -p "$here/corpus/$t"
  find "$here/../docs-fixtures" "$here/../tests" "$here/../rules" "$@" -type f | while read -r f; do
    cp "$f" "$here/corpus/$t/$(cksum < "$f" | cut -d' ' -f1)"
  done
}
seed front_matter -name '*.md*'
seed variables_js -name 'variables.*js'
seed config_ref_json -name '*.json' -path '*/components/*'
seed rule_packs -name '*.toml' \( -path '*/rules/*' -o -path '*/.docdrift/*' \)
seed docusaurus_config -name 'docusaurus.config.*'
# Two copies of a page, NUL between: each page of a fixture's versioned docs with its copy in
# the doc set's current folder (`<id>_versioned_docs/version-<v>/P` and `<id>/P`).
mkdir -p "$here/corpus/check_two_versions"
pair() { # a page in a version folder, the seed's name prefix
  current=$(printf %s "$1" | sed -E 's#_versioned_docs/version-[^/]+/#/#')
  [ -f "$current" ] || return 0
  { cat "$current"; printf '\000'; cat "$1"; } > "$here/corpus/check_two_versions/$2$(printf %s "$1" | cksum | cut -d' ' -f1)"
}
find "$here/../docs-fixtures" -path '*_versioned_docs/version-*' -name '*.md*' -type f | while read -r old; do
  pair "$old" ""
done
if [ -n "$site" ] && [ -d "$site" ]; then
  # Every 25th page, at most 64 KB each: enough variety, small enough to mutate fast.
  find "$site" -name '*.mdx' -type f -size -64k | awk 'NR % 25 == 0' | while read -r f; do
    cp "$f" "$here/corpus/mdx/site-$(printf %s "$f" | cksum | cut -d' ' -f1)"
  done
  # And every 25th pair of copies of a page, at most 32 KB each.
  find "$site" -path '*_versioned_docs/version-*' -name '*.mdx' -type f -size -32k | awk 'NR % 25 == 0' | while read -r old; do
    pair "$old" site-
  done
fi
