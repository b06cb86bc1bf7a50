#!/bin/sh
# Starts the CTI server: checks the configuration first (--check-config prints every error with its
# file and key), then runs the server in the foreground. Arguments are the server's own (--config FILE);
# --hash-password, --check-config and --help run alone. Any other command (e.g. sh) is run as given.
set -eu

jar=${CTI_JAR:-/opt/cti/cti-server.jar}
# An /etc/cti/cti.yaml mounted into the container is the configuration unless CTI_CONFIG says otherwise.
if [ -z "${CTI_CONFIG:-}" ] && [ -f /etc/cti/cti.yaml ]; then
  export CTI_CONFIG=/etc/cti/cti.yaml
fi

case "${1:-}" in
  ''|--config) ;;
  --hash-password|--check-config|--help|-h)
    # shellcheck disable=SC2086
    exec java $JAVA_OPTS -jar "$jar" "$@" ;;
  -*) ;;
  *) exec "$@" ;;
esac

# shellcheck disable=SC2086
if ! java $JAVA_OPTS -jar "$jar" --check-config "$@"; then
  echo "cti-entrypoint: the configuration has errors (above); not starting" >&2
  exit 2
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar "$jar" "$@"
