#!/usr/bin/env bash
# Starts an already built Portcullis WAR (target/portcullis.war) on Payara Micro 6.
#
#   payara/run.sh [--dev] [extra Payara Micro options, e.g. --sslport 8443]
#
# Honours PORT (default 8080) and every PORTCULLIS_* variable (see README). HTTPS: set
# PORTCULLIS_TLS_KEYSTORE (PKCS12 or JKS file), PORTCULLIS_TLS_KEYSTORE_PASSWORD, optionally
# PORTCULLIS_TLS_ALIAS (default portcullis) and HTTPS_PORT (default 8443). --dev is the run
# command's development mode: data in ./data (override with PORTCULLIS_DATA_DIR), embedded H2,
# a local master-key file created on first start. Without --dev a master key must be configured.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
war=${PORTCULLIS_WAR:-$root/target/portcullis.war}
micro=${PAYARA_MICRO_JAR:-$root/target/payara-micro.jar}
lib_dir=${PAYARA_LIB_DIR:-$root/target/payara-lib}
for file in "$war" "$micro"; do
  if [ ! -f "$file" ]; then
    echo "run.sh: $file is missing; build first: mvn -DskipTests package" >&2
    exit 1
  fi
done

# shellcheck source=../src/main/scripts/environment.sh
. "$root/src/main/scripts/environment.sh"

tls=()
if [ -n "$tls_keystore" ]; then
  java_opts="$java_opts -Djavax.net.ssl.keyStore=$tls_keystore"
  java_opts="$java_opts -Djavax.net.ssl.keyStoreType=$tls_type"
  java_opts="$java_opts -Djavax.net.ssl.keyStorePassword=$tls_password"
  tls=(--sslport "$https_port" --sslcert "$tls_alias")
fi

libs=()
if [ -f "$lib_dir/postgresql.jar" ]; then
  libs=(--addLibs "$lib_dir/postgresql.jar")
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
exec java $java_opts -jar "$micro" --nocluster --port "$port" --contextroot / \
  --prebootcommandfile "$root/payara/pre-boot-commands.asadmin" \
  "${libs[@]}" "${tls[@]}" --deploy "$war" "${extra[@]}"
