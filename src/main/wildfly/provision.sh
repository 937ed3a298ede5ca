#!/usr/bin/env bash
# Provisions the WildFly the project runs on: unpacks org.wildfly:wildfly-dist from Maven into
# target/wildfly-<version> and applies configure.cli, once, and again whenever configure.cli
# changes (the marker .portcullis-configured holds its hash). Prints the installation directory.
#
#   src/main/wildfly/provision.sh [version]
#
# run.sh calls it before every start (unless WILDFLY_HOME names your own server); the build calls
# it before the integration tests with -Dit.server=wildfly, passing the pom's wildfly.version,
# which must be the version here. Callers that provision at the same time wait for one unpack.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
version=39.0.1.Final
home=$root/target/wildfly-$version

if [ -n "${1:-}" ] && [ "$1" != "$version" ]; then
  echo "provision.sh: asked for WildFly $1 (pom.xml wildfly.version), but this script" \
       "provisions $version; change both" >&2
  exit 2
fi

configured() {
  [ "$(cat "$home/.portcullis-configured" 2>/dev/null)" = "$(sha256sum <"$here/configure.cli")" ]
}

if ! configured; then
  mkdir -p "$root/target"
  exec 9>"$root/target/.wildfly-unpack.lock"
  flock 9 # one start unpacks; others started at the same time wait for it
  if ! configured; then
    echo "provision.sh: unpacking and configuring WildFly $version in $home (once per configure.cli)" >&2
    rm -rf "$home"
    mvn -q -f "$root/pom.xml" dependency:unpack \
      -Dartifact="org.wildfly:wildfly-dist:$version:zip" -DoutputDirectory="$root/target" \
      -Dmdep.overWriteReleases=true >&2
    "$home/bin/jboss-cli.sh" --file="$here/configure.cli" >&2
    sha256sum <"$here/configure.cli" >"$home/.portcullis-configured"
  fi
  exec 9>&-
fi
echo "$home"
