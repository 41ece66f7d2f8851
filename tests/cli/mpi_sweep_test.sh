#!/usr/bin/env bash
# A sweep under mpirun -np 2 and -np 3 writes the same files, byte for byte but for the timing
# fields, as the same sweep in one process. Usage: mpi_sweep_test.sh DCSIM MPIEXEC SCENARIO
set -euo pipefail
dcsim=$1 mpiexec=$2 scenario=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(sweep "$scenario" --quiet --set horizon=10d --replications 2 --vary scheduler.policy=fifo,easy-backfill
  --vary 'workloads.research.arrivals.rate=30/day,40/day')
"$dcsim" "${args[@]}" --threads 1 -o "$tmp/single"
"$mpiexec" -np 2 "$dcsim" "${args[@]}" -o "$tmp/np2"
"$mpiexec" -np 3 --oversubscribe "$dcsim" "${args[@]}" -o "$tmp/np3"
strip() { grep -v -e '"wall_seconds"' -e '"events_per_second"' "$1" || true; }
status=0
for run in np2 np3; do
  if ! diff <(cd "$tmp/single" && find . -type f | sort) <(cd "$tmp/$run" && find . -type f | sort); then
    echo "$run: different files"; status=1; continue
  fi
  while read -r f; do
    cmp -s <(strip "$tmp/single/$f") <(strip "$tmp/$run/$f") || { echo "$run: $f differs"; status=1; }
  done < <(cd "$tmp/single" && find . -type f | sort)
done
[ "$(cd "$tmp/single" && find . -name summary.json | wc -l)" -eq 13 ] || { echo "unexpected layout"; status=1; }
exit $status
