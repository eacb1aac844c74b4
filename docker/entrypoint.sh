#!/bin/sh
# The Runyard image's entrypoint (Dockerfile: ENTRYPOINT tini → this script; also on PATH as
# `runyard`, for `docker exec <container> runyard keys list`). The first argument is the role:
#
#   start (default)   API + workers + console in one process
#   api               the same without workers (RUNYARD_WORKERS=false): API processes scaled
#                     separately from `worker` containers; needs DATABASE_URL
#   worker            workers only (needs DATABASE_URL); probes on RUNYARD_WORKER_PORT
#   migrate           apply the database migrations and exit
#   keys, accounts, retention, help
#                     the runyard CLI's operator commands (`keys create --name admin`)
#   anything else     run as is (`sh`, `node -e …`)
#
# With DATABASE_URL set, every role that talks to the database first waits for it (at most
# RUNYARD_DB_WAIT_SECONDS, 60 by default), and `start`/`api` apply the migrations once before
# serving. Without DATABASE_URL the embedded PostgreSQL keeps its data in RUNYARD_DATA_DIR
# (/data, the image's volume).
#
# Outside a container (the tests) RUNYARD_APP_DIR says where the checkout is (/app in the
# image) and RUNYARD_CLI how to run the server's CLI (a command line, split on spaces).
set -eu
# No pathname expansion: $cli below is split on spaces, never globbed.
set -f

app_dir=${RUNYARD_APP_DIR:-/app}
cli=${RUNYARD_CLI:-node $app_dir/apps/server/dist/cli.mjs}
wait_seconds=${RUNYARD_DB_WAIT_SECONDS:-60}
# These three are this script's own: the server refuses RUNYARD_* names it does not know.
unset RUNYARD_APP_DIR RUNYARD_CLI RUNYARD_DB_WAIT_SECONDS

# The image's ENV (Dockerfile) configures the server for a container: RUNYARD_HOST=0.0.0.0 (the
# server still refuses a non-loopback address until an API key exists: README, Security; create
# one with the `keys create` role first), RUNYARD_DATA_DIR=/data and the rest. Nothing here
# overrides them or relaxes the server's rules.

say() {
  printf '[runyard] %s\n' "$*" >&2
}

# Runs the CLI in the foreground (it returns); `exec_cli` replaces this shell with it, so that
# the server is tini's child and gets SIGTERM itself on `docker stop`.
run_cli() {
  # shellcheck disable=SC2086 # $cli is a command line: split on purpose
  $cli "$@"
}
exec_cli() {
  # shellcheck disable=SC2086 # $cli is a command line: split on purpose
  exec $cli "$@"
}

wait_for_database() {
  [ -n "${DATABASE_URL:-}" ] || return 0
  node "$app_dir/docker/wait-for-database.mjs" "$app_dir" "$wait_seconds"
}

role=${1:-start}
[ "$#" -eq 0 ] || shift

case "$role" in
  start | api)
    if [ "$role" = api ]; then
      if [ -z "${DATABASE_URL:-}" ]; then
        say 'the api role runs no workers, so its runs would wait forever: give it DATABASE_URL and start worker containers on the same database (or use the start role)'
        exit 2
      fi
      export RUNYARD_WORKERS=false
    fi
    if [ -n "${DATABASE_URL:-}" ]; then
      wait_for_database
      run_cli migrate
    fi
    exec_cli start "$@"
    ;;
  worker | migrate | keys | accounts | retention)
    wait_for_database
    exec_cli "$role" "$@"
    ;;
  help | --help | -h)
    exec_cli help
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
