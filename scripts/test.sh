#!/usr/bin/env bash
# Runs every check and test suite, then prints the totals of all suites as one line "N passed, N failed".
# Exits non-zero when anything fails. Assumes `npm install` has run (the README's test command does both).
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false CI=${CI:-true}
results=dist/test-results
# No report outlives its run: a suite that crashes early has none (and counts as failed); Nx puts back the cached ones.
rm -rf "$results" && mkdir -p "$results"
status=0
suites=()

step() { # name, command...: a check without a test count; failure fails the run
  local name=$1; shift
  echo "=== $name"
  if ! "$@"; then echo "=== $name FAILED"; status=1; fi
}
suite() { # name, command...: a test suite writing $results/<name>.json
  local name=$1; shift
  echo "=== suite $name"
  "$@"
  local code=$?
  suites+=("$name=$code")
  [ $code -eq 0 ] || status=1
}

step "system packages" bash scripts/ensure-system-deps.sh

# One redis-server for every suite that needs one (the API's Redis suites and the bench's Redis step),
# on a free loopback port, stopped on exit.
if [ -z "${REDIS_URL:-}" ] && command -v redis-server >/dev/null; then
  redis_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(s.address().port+"\n");s.close()})')
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --pidfile "/tmp/tiny-chat-redis-$redis_port.pid" --logfile "/tmp/tiny-chat-redis-$redis_port.log"
  for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$redis_port"
  trap 'kill "$(cat /tmp/tiny-chat-redis-'"$redis_port"'.pid)" 2>/dev/null' EXIT
fi
# Every check and suite is an Nx target with the cache on: a second run with nothing changed takes the cacheable
# ones (build, lint, format-check, typecheck, shared-types:test, api:test, web:test) from .nx/cache, their reports
# included, and runs again only the suites that opt out (Redis, spawned servers, the browser, the bench); see the
# "// <target>" notes in the project.json files for why each one does.
step "build, lint, format, typecheck tests" npx nx run-many -t build lint format-check typecheck --outputStyle=static

# One nx call per suite, one at a time: its exit code is the suite's, and no suite's timing competes with another's.
# Each writes $results/<name>.json; a cache hit restores that file, so its tests still count in the totals.
suite shared-types npx nx run shared-types:test --outputStyle=static
suite api npx nx run api:test --outputStyle=static
suite api-redis npx nx run api:test-redis --outputStyle=static
suite api-e2e npx nx run api:e2e --outputStyle=static
# A 6-node Redis Cluster of its own (scripts/redis-cluster.sh), started for the suite and stopped after it.
suite api-cluster npx nx run api:test-cluster --outputStyle=static
# The socket suites again on the stock socket.io path (the server reads FAST_PATHS).
suite api-fast-paths-off npx nx run api:e2e-fast-paths-off --outputStyle=static
suite web-unit npx nx run web:test --outputStyle=static
suite web-e2e npx nx run web-e2e:e2e --outputStyle=static
# Zero loss and correct order through every server and shape, a few seconds each (never a timing assertion).
suite bench npx nx run bench:quick --outputStyle=static

[ $status -eq 0 ] || echo "FAILED: see the sections marked FAILED or the suite lines below"
echo "=== totals"
# Its last line, "N passed, N failed", is the last line of the run (CI reads it).
node scripts/summarize-tests.mjs "${suites[@]}" || status=1
exit $status
