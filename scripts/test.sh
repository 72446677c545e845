#!/usr/bin/env bash
# Runs every check and test suite, then prints the totals of all suites as one line "N passed, N failed".
# Exits non-zero when anything fails. Assumes `npm install` has run (the README's test command does both).
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false CI=${CI:-true}
results=dist/test-results
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
  redis_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --pidfile "/tmp/tiny-chat-redis-$redis_port.pid" --logfile "/tmp/tiny-chat-redis-$redis_port.log"
  for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$redis_port"
  trap 'kill "$(cat /tmp/tiny-chat-redis-'"$redis_port"'.pid)" 2>/dev/null' EXIT
fi
step "build" npx nx run-many -t build --projects=api,web --outputStyle=static --skip-nx-cache
step "lint" npx nx run-many -t lint --outputStyle=static --skip-nx-cache
step "format" npx prettier --check apps libs scripts bench --log-level warn
step "typecheck tests" npx tsc -p apps/api/tsconfig.spec.json --noEmit

suite shared-types npx jest -c libs/shared-types/jest.config.cts --ci --json --outputFile="$results/shared-types.json"
suite api npx jest -c apps/api/jest.config.cts --ci --json --outputFile="$results/api.json"
suite web-unit npx nx test web --outputStyle=static --skip-nx-cache
suite web-e2e npx nx e2e web-e2e --outputStyle=static --skip-nx-cache
# Zero loss and correct order through every server and shape, a few seconds each (never a timing assertion).
suite bench node bench/run.mjs --quick

echo "=== totals"
node scripts/summarize-tests.mjs "${suites[@]}" || status=1
[ $status -eq 0 ] || echo "FAILED: see the sections marked FAILED or the suite lines above"
exit $status
