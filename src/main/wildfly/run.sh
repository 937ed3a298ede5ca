#!/usr/bin/env bash
# Starts an already built Portcullis WAR (target/portcullis.war) on WildFly 39.
#
#   src/main/wildfly/run.sh [--dev] [extra standalone.sh options]
#
# Honours exactly what payara/run.sh honours (PORT, every PORTCULLIS_*, JAVA_OPTS and the JVM
# options file; see README), read by the same src/main/scripts/environment.sh; HTTPS on HTTPS_PORT
# with PORTCULLIS_TLS_KEYSTORE as there (tls.cli adds the listener). WildFly comes from
# WILDFLY_HOME (configured with configure.cli by you), or is provisioned by provision.sh: unpacked
# from Maven (org.wildfly:wildfly-dist) into target/ and configured with configure.cli, again
# whenever configure.cli changes. Each start runs in a server directory of its own (a copy of the
# configured standalone/ in a temporary directory, removed at exit), so several can run at once.
# The process exits when the application cannot start (the deployment fails, or Portcullis' own
# start-up check stops it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
war=${PORTCULLIS_WAR:-$root/target/portcullis.war}

if [ ! -f "$war" ]; then
  echo "run.sh: $war is missing; build first: mvn -DskipTests package" >&2
  exit 1
fi

# shellcheck source=../scripts/environment.sh
. "$root/src/main/scripts/environment.sh"

if [ -n "${WILDFLY_HOME:-}" ]; then
  home=$WILDFLY_HOME
  if [ ! -x "$home/bin/standalone.sh" ]; then
    echo "run.sh: WILDFLY_HOME=$WILDFLY_HOME is not a WildFly installation" >&2
    exit 2
  fi
else
  home=$("$here/provision.sh")
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-wildfly.XXXXXX")
server=
cleanup() {
  trap '' TERM INT # a second signal must not cut the clean-up short
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
cp -r "$home/standalone/configuration" "$base/configuration"
mkdir -p "$base/deployments"
tls=()
if [ -n "$tls_keystore" ]; then
  # the HTTPS listener is added to this start's copy only; tls.cli reads the keystore settings
  # from the environment when WildFly starts
  export PORTCULLIS_TLS_KEYSTORE PORTCULLIS_TLS_KEYSTORE_PASSWORD
  export PORTCULLIS_TLS_KEYSTORE_TYPE=$tls_type PORTCULLIS_TLS_ALIAS=$tls_alias
  JAVA_OPTS="-Djboss.server.base.dir=$base" "$home/bin/jboss-cli.sh" --file="$here/tls.cli" >&2
  tls=(-Djboss.https.port="$https_port")
fi
cp "$war" "$base/deployments/portcullis.war"

# WildFly's own defaults (standalone.conf), which a set JAVA_OPTS replaces, then Portcullis'.
# standalone.sh then forwards TERM and INT to the JVM and waits for it
export LAUNCH_JBOSS_IN_BACKGROUND=1
export JAVA_OPTS="-Djava.net.preferIPv4Stack=true -Djboss.modules.system.pkgs=org.jboss.byteman -Djava.awt.headless=true $java_opts"
"$home/bin/standalone.sh" -Djboss.server.base.dir="$base" -b 0.0.0.0 \
  -Djboss.http.port="$port" -Djboss.management.http.port="${WILDFLY_MANAGEMENT_PORT:-$((port + 1910))}" \
  "${tls[@]}" "${extra[@]}" &
server=$!

# the deployment scanner leaves portcullis.war.deployed or .failed
while kill -0 "$server" 2>/dev/null; do
  if [ -e "$base/deployments/portcullis.war.failed" ]; then
    echo "run.sh: the application could not start: $(cat "$base/deployments/portcullis.war.failed")" >&2
    exit 3
  fi
  [ -e "$base/deployments/portcullis.war.deployed" ] && break
  sleep 1
done
wait "$server"
