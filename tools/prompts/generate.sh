#!/usr/bin/env bash
# Regenerates the shipped voice prompts (media/prompts/<lang>/<id>.wav) from the texts in
# src/ivr/prompt-phrases.ts and src/ivr/number-words.ts, with espeak-ng and sox.
# Run by a developer after changing a text; the switch and the tests never run it.
#
#   tools/prompts/generate.sh                   every prompt, every language
#   tools/prompts/generate.sh --lang it         one language
#   tools/prompts/generate.sh --only conf-full  some ids (comma-separated)
#   tools/prompts/generate.sh --check           report stale or missing files, generate nothing
#   tools/prompts/generate.sh --table           print the README's prompt tables (markdown)
#
# Needs: node 20, espeak-ng (voices en-us, it, ru), sox. Commit the WAV files and manifest.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# The texts are TypeScript: compile first (tsc emits even when unrelated files have type errors).
npx tsc -p . >/dev/null || true
test -f dist/src/ivr/prompt-phrases.js || { echo "generate.sh: dist/src/ivr/prompt-phrases.js missing after tsc" >&2; exit 1; }
exec node tools/prompts/generate.mjs "$@"
