#!/bin/sh
# Run by the compose files' build-extension service on the official Maven image: builds the extension's jar
# from the checkout mounted read-only at /src (the host needs no Maven and gets no target/ folders), and
# leaves it as the only jar in /extensions-jars, the named volume that James mounts as
# /root/extensions-jars. Maven's downloads stay in the maven-repo volume between runs.
# SRC, BUILD and OUT change the three folders (for a run outside the container).
set -eu
SRC=${SRC:-/src}
BUILD=${BUILD:-/tmp/james-proxy-build}
OUT=${OUT:-/extensions-jars}

rm -rf "$BUILD"
mkdir -p "$BUILD" "$OUT"
# The reactor needs every module's pom (the parent lists benchmarks too); only the extension's sources.
(cd "$SRC" && tar -cf - --exclude=target pom.xml james-proxy-extension/pom.xml james-proxy-extension/src benchmarks/pom.xml) \
    | tar -C "$BUILD" -xf -
cd "$BUILD"
mvn -B -ntp -DskipTests package -pl james-proxy-extension -am

set -- james-proxy-extension/target/james-proxy-extension-*.jar
[ $# -eq 1 ] && [ -f "$1" ] || { echo "build-extension: expected one jar in james-proxy-extension/target, found: $*" >&2; exit 1; }
# Only this jar in the folder: James loads every file under extensions-jars/.
find "$OUT" -mindepth 1 -maxdepth 1 -name '*.jar' -exec rm -f {} +
cp "$1" "$OUT/james-proxy-extension.jar"
echo "build-extension: $1 -> $OUT/james-proxy-extension.jar"
