# Sourced by payara/run.sh and src/main/wildfly/run.sh: one reading of the start environment for
# both servers. In: $root (the project), "$@" (the run script's arguments). Out: PORTCULLIS_*
# exported as the application reads them, $port, $java_opts (payara/jvm.options, then JAVA_OPTS),
# $extra (the arguments that are not --dev), and the TLS settings $tls_keystore, $tls_password,
# $tls_type, $tls_alias and $https_port when PORTCULLIS_TLS_KEYSTORE is set. Exits 2 with a message
# on a setting that cannot work.

port=${PORT:-8080}

extra=()
for arg in "$@"; do
  case "$arg" in
    --dev) export PORTCULLIS_DEV_MODE=true ;;
    *) extra+=("$arg") ;;
  esac
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

# options every start needs (payara/jvm.options explains each), then JAVA_OPTS
jvm_options_file=${PORTCULLIS_JVM_OPTIONS_FILE:-$root/payara/jvm.options}
if [ ! -r "$jvm_options_file" ]; then
  echo "run.sh: $jvm_options_file (PORTCULLIS_JVM_OPTIONS_FILE) is not a readable file" >&2
  exit 2
fi
fixed_opts=$(grep -v '^[[:space:]]*\(#\|$\)' "$jvm_options_file" | tr '\n' ' ' || true)
java_opts="$fixed_opts${JAVA_OPTS:--Xmx768m}"

tls_keystore=${PORTCULLIS_TLS_KEYSTORE:-}
if [ -n "$tls_keystore" ]; then
  if [ ! -r "$tls_keystore" ] || [ -z "${PORTCULLIS_TLS_KEYSTORE_PASSWORD:-}" ]; then
    echo "run.sh: PORTCULLIS_TLS_KEYSTORE must be a readable keystore and" \
         "PORTCULLIS_TLS_KEYSTORE_PASSWORD its password" >&2
    exit 2
  fi
  tls_password=$PORTCULLIS_TLS_KEYSTORE_PASSWORD
  tls_type=${PORTCULLIS_TLS_KEYSTORE_TYPE:-PKCS12}
  tls_alias=${PORTCULLIS_TLS_ALIAS:-portcullis}
  https_port=${HTTPS_PORT:-8443}
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
