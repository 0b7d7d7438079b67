#!/usr/bin/env bash
# `make test`: each stage of the suite in turn, timed, with a table of the times at the end
# (docs/testing.md keeps the figures). Stops at the first stage that fails.
set -uo pipefail
cd "$(dirname "$0")/.."

names=()
seconds=()

table() {
  echo
  echo "Stage times (make test):"
  local total=0
  for i in "${!names[@]}"; do
    printf '  %-22s %6ss\n' "${names[$i]}" "${seconds[$i]}"
    total=$((total + seconds[i]))
  done
  printf '  %-22s %6ss\n' "total" "$total"
}

stage() {
  local name=$1
  shift
  echo "=== ${name}"
  local started=$SECONDS
  "$@"
  local rc=$?
  names+=("$name")
  seconds+=($((SECONDS - started)))
  if [ "$rc" -ne 0 ]; then
    echo "*** Stage « ${name} » failed (exit ${rc}). ***" >&2
    table
    exit "$rc"
  fi
}

stage "lint" make --no-print-directory lint
stage "migrations check" make --no-print-directory migrations-check
stage "catalogues" make --no-print-directory messages
stage "SQLite" make --no-print-directory test-sqlite
if [ -n "${TREMPLIN_TEST_DATABASE_URL:-}" ]; then
  stage "PostgreSQL" make --no-print-directory test-postgres
else
  echo "*** TREMPLIN_TEST_DATABASE_URL is not set: PostgreSQL run skipped ***"
fi
table
