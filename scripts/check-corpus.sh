#!/usr/bin/env bash
# Verifies that the bundled corpus is byte for byte the reference copy beside the project, when present.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=../shared/corpus
if [ ! -d "$ref" ]; then
  echo "check-corpus: $ref not found, skipped"
  exit 0
fi
status=0
for f in "$ref"/*; do
  name=$(basename "$f")
  if ! cmp -s "$f" "corpus/$name"; then
    echo "check-corpus: corpus/$name differs from $ref/$name" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "check-corpus: corpus/ matches $ref byte for byte"
exit "$status"
