#!/usr/bin/env bash
# SIGKILLs `dcsim run` and `dcsim sweep` at several points and checks that no complete-looking
# results folder is left (a folder exists only once renamed into place), that leftovers are named
# as temporary (.NAME.tmp-PID, NAME.partial), and that `sweep --resume` then writes the same
# sweep.csv and summary.json as an uninterrupted sweep, rerunning a failed variant only.
# Usage: kill_resume_test.sh DCSIM SCENARIO
set -uo pipefail
dcsim=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
# Everything in $1 is a finished folder (summary.json) or clearly temporary.
check_leftovers() {
  local dir=$1 e
  for e in "$dir"/* "$dir"/.[!.]*; do
    [ -e "$e" ] || continue
    case "$(basename "$e")" in
      .*.tmp-[0-9]* | .*.old-[0-9]* | *.partial) ;;
      *) [ -f "$e/summary.json" ] || fail "$e looks like results but has no summary.json" ;;
    esac
  done
}
run_args=(run "$scenario" --quiet --set horizon=365d)
for delay in 0.005 0.05 0.2; do
  mkdir -p "$tmp/run"
  "$dcsim" "${run_args[@]}" -o "$tmp/run/out" & pid=$!
  sleep "$delay"; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  check_leftovers "$tmp/run"
  if [ -e "$tmp/run/out" ]; then
    for f in summary.json kpis.csv timeseries.csv; do [ -s "$tmp/run/out/$f" ] || fail "run/out lacks $f"; done
  fi
  rm -rf "$tmp/run"
done
args=(sweep "$scenario" --quiet --threads 1 --set horizon=365d --replications 3
  --vary scheduler.policy=fifo,easy-backfill,nonsense --vary 'workloads.research.arrivals.rate=30/day,50/day')
"$dcsim" "${args[@]}" -o "$tmp/ref" >/dev/null 2>&1
[ "$?" -eq 2 ] || fail "a sweep with a bad variant should exit 2"
[ -f "$tmp/ref/sweep.csv" ] || fail "no reference sweep"
for delay in 0.005 0.2 0.5 1.0; do
  mkdir -p "$tmp/s"
  "$dcsim" "${args[@]}" -o "$tmp/s/out" >/dev/null 2>&1 & pid=$!
  sleep "$delay"; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  check_leftovers "$tmp/s"
  [ -d "$tmp/s/out.partial/variants" ] && check_leftovers "$tmp/s/out.partial/variants"
  "$dcsim" "${args[@]}" -o "$tmp/s/out" --resume >/dev/null 2>&1
  [ "$?" -eq 2 ] || fail "resume after ${delay}s: expected exit 2 (one bad variant)"
  for f in sweep.csv summary.json; do cmp -s "$tmp/ref/$f" "$tmp/s/out/$f" || fail "resume after ${delay}s: $f differs"; done
  [ -e "$tmp/s/out.partial" ] && fail "resume after ${delay}s left out.partial"
  rm -rf "$tmp/s"
done
# A finished sweep with a failed variant: --resume keeps the good variants' folders as they are.
cp -a "$tmp/ref" "$tmp/again"
before=$(stat -c %i "$tmp/again/variants/v0001")
"$dcsim" "${args[@]}" -o "$tmp/again" --resume >/dev/null 2>&1
[ "$(stat -c %i "$tmp/again/variants/v0001")" = "$before" ] || fail "--resume reran a finished variant"
cmp -s "$tmp/ref/sweep.csv" "$tmp/again/sweep.csv" || fail "--resume of a finished sweep changed sweep.csv"
# Without --resume an existing folder follows the replace rules; a different sweep refuses to resume.
"$dcsim" "${args[@]}" -o "$tmp/again" >/dev/null 2>&1
[ "$?" -eq 2 ] || fail "an existing -o folder without --force must be refused"
"$dcsim" sweep "$scenario" --quiet --set horizon=365d --vary scheduler.policy=fifo -o "$tmp/again" --resume >/dev/null 2>&1
[ "$?" -ne 0 ] || fail "--resume into a different sweep must be refused"
exit $status
