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
port=${PORT:-8080}

extra=()
for arg in "$@"; do
  case "$arg" in
    --dev) export PORTCULLIS_DEV_MODE=true ;;
    *) extra+=("$arg") ;;
  esac
done

for file in "$war" "$micro"; do
  if [ ! -f "$file" ]; then
    echo "run.sh: $file is missing; build first: mvn -DskipTests package" >&2
    exit 1
  fi
done

if [ "${PORTCULLIS_DEV_MODE:-false}" != "true" ] \
   && [ -z "${PORTCULLIS_MASTER_KEY:-}" ] && [ -z "${PORTCULLIS_MASTER_KEY_FILE:-}" ]; then
  echo "run.sh: no master key. Set PORTCULLIS_MASTER_KEY (openssl rand -base64 32) or" \
       "PORTCULLIS_MASTER_KEY_FILE, or pass --dev for local development." >&2
  exit 2
fi

# This process exists to run Portcullis: if the application cannot start, the process exits.
export PORTCULLIS_EXIT_ON_STARTUP_FAILURE=${PORTCULLIS_EXIT_ON_STARTUP_FAILURE:-true}
export PORTCULLIS_DATA_DIR=${PORTCULLIS_DATA_DIR:-$root/data}
mkdir -p "$PORTCULLIS_DATA_DIR"
export PORTCULLIS_DB_URL=${PORTCULLIS_DB_URL:-"jdbc:h2:file:$PORTCULLIS_DATA_DIR/portcullis;DB_CLOSE_ON_EXIT=FALSE"}
if [ -z "${PORTCULLIS_DB_DRIVER:-}" ]; then
  case "$PORTCULLIS_DB_URL" in
    jdbc:postgresql:*) export PORTCULLIS_DB_DRIVER=org.postgresql.ds.PGSimpleDataSource ;;
    jdbc:h2:*) export PORTCULLIS_DB_DRIVER=org.h2.jdbcx.JdbcDataSource ;;
    *) echo "run.sh: PORTCULLIS_DB_URL must be a jdbc:h2: or jdbc:postgresql: URL" >&2; exit 2 ;;
  esac
fi

tls=()
# options every start needs (payara/jvm.options explains each), then JAVA_OPTS
jvm_options_file=${PORTCULLIS_JVM_OPTIONS_FILE:-$root/payara/jvm.options}
if [ ! -r "$jvm_options_file" ]; then
  echo "run.sh: $jvm_options_file (PORTCULLIS_JVM_OPTIONS_FILE) is not a readable file" >&2
  exit 2
fi
fixed_opts=$(grep -v '^[[:space:]]*\(#\|$\)' "$jvm_options_file" | tr '\n' ' ' || true)
java_opts="$fixed_opts${JAVA_OPTS:--Xmx768m}"
if [ -n "${PORTCULLIS_TLS_KEYSTORE:-}" ]; then
  if [ ! -r "$PORTCULLIS_TLS_KEYSTORE" ] || [ -z "${PORTCULLIS_TLS_KEYSTORE_PASSWORD:-}" ]; then
    echo "run.sh: PORTCULLIS_TLS_KEYSTORE must be a readable keystore and" \
         "PORTCULLIS_TLS_KEYSTORE_PASSWORD its password" >&2
    exit 2
  fi
  store_type=${PORTCULLIS_TLS_KEYSTORE_TYPE:-PKCS12}
  java_opts="$java_opts -Djavax.net.ssl.keyStore=$PORTCULLIS_TLS_KEYSTORE"
  java_opts="$java_opts -Djavax.net.ssl.keyStoreType=$store_type"
  java_opts="$java_opts -Djavax.net.ssl.keyStorePassword=$PORTCULLIS_TLS_KEYSTORE_PASSWORD"
  tls=(--sslport "${HTTPS_PORT:-8443}" --sslcert "${PORTCULLIS_TLS_ALIAS:-portcullis}")
fi

# A hung database must not hang requests: bound PostgreSQL connects and reads (seconds; a URL
# that sets these parameters itself wins).
case "$PORTCULLIS_DB_URL" in
  jdbc:postgresql:*)
    db_timeout=${PORTCULLIS_DB_TIMEOUT_SECONDS:-2}
    for param in connectTimeout socketTimeout loginTimeout; do
      case "$PORTCULLIS_DB_URL" in
        *"$param="*) ;;
        *\?*) PORTCULLIS_DB_URL="$PORTCULLIS_DB_URL&$param=$db_timeout" ;;
        *) PORTCULLIS_DB_URL="$PORTCULLIS_DB_URL?$param=$db_timeout" ;;
      esac
    done
    export PORTCULLIS_DB_URL
    ;;
esac

libs=()
if [ -f "$lib_dir/postgresql.jar" ]; then
  libs=(--addLibs "$lib_dir/postgresql.jar")
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
exec java $java_opts -jar "$micro" --nocluster --port "$port" --contextroot / \
  --prebootcommandfile "$root/payara/pre-boot-commands.asadmin" \
  "${libs[@]}" "${tls[@]}" --deploy "$war" "${extra[@]}"
