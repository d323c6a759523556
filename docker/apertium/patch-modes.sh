#!/bin/sh
# Copies Apertium's installed modes into a directory APy can serve, replacing the
# `apertium-tagger -g` stage of the pairs where Debian's apertium 3.8.3 tagger segfaults
# (empty output, APy answers 503) with a cg-proc pass over the pair's constraint grammar.
# Same rewrite as patchMode() in libs/language/src/translation/apy-server.ts.
# Usage: patch-modes.sh SOURCE_MODES_DIR TARGET_MODES_DIR
set -eu
src=${1:?source modes dir}
dst=${2:?target modes dir}
mkdir -p "$dst"
cp "$src"/*.mode "$dst"/
for pair in rus-ukr ukr-rus rus-bel; do
  mode="$dst/$pair.mode"
  [ -f "$mode" ] || continue
  sed -i "s#apertium-tagger -g \\\$2 '\\([^']*\\)/[^'/]*\\.prob'#cg-proc -1 -n -w '\\1/$pair.rlx.bin'#" "$mode"
done
