#!/usr/bin/env bash
# Fetches the third-party .proto files our contracts import into third_party/ (git-ignored).
# Every file comes from a registry package, never from a copy kept in this repository:
#   google/api/*, google/rpc/*   npm google-proto-files (googleapis)
#   grpc/health/v1/health.proto  npm grpc-health-check
#   grpc/reflection/v1{,alpha}/  npm @grpc/reflection
#   buf/validate/validate.proto  Maven Central build.buf:protovalidate (same version as the npm runtime)
set -euo pipefail
cd "$(dirname "$0")/.."

out=third_party/proto
protovalidate_version=$(node -p "require('./node_modules/@bufbuild/protovalidate/package.json').version")
# The stamp names what the fetch brings, so that adding a file fetches again.
stamp="$out/.fetched-${protovalidate_version}-reflection-v1alpha"
if [[ -f "$stamp" ]]; then
  exit 0
fi

rm -rf "$out"
mkdir -p "$out/google/api" "$out/google/rpc" "$out/grpc/health/v1" "$out/grpc/reflection/v1" "$out/grpc/reflection/v1alpha" "$out/buf/validate"

gpf=node_modules/google-proto-files
for f in annotations http field_behavior httpbody; do
  cp "$gpf/google/api/$f.proto" "$out/google/api/"
done
for f in status error_details code; do
  cp "$gpf/google/rpc/$f.proto" "$out/google/rpc/"
done
cp node_modules/grpc-health-check/proto/health/v1/health.proto "$out/grpc/health/v1/"
cp node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto "$out/grpc/reflection/v1/"
cp node_modules/@grpc/reflection/build/proto/grpc/reflection/v1alpha/reflection.proto "$out/grpc/reflection/v1alpha/"

# protovalidate's rules ship as a .proto inside its Java artifact on Maven Central.
jar_dir=third_party/jars
jar="$jar_dir/protovalidate-${protovalidate_version}.jar"
if [[ ! -f "$jar" ]]; then
  echo "fetch-third-party-protos: fetching build.buf:protovalidate:${protovalidate_version} from Maven Central" >&2
  mvn -B -q dependency:copy \
    "-Dartifact=build.buf:protovalidate:${protovalidate_version}" \
    -Dtransitive=false "-DoutputDirectory=$jar_dir" >&2
fi
python3 - "$jar" "$out" <<'PY'
import sys, zipfile
jar, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(jar) as z:
    z.extract("buf/validate/validate.proto", out)
PY
touch "$stamp"
echo "fetch-third-party-protos: third-party protos ready in $out" >&2
