#!/usr/bin/env bash
# Times R replications of a scenario on 1 and 2 threads and on 2 MPI ranks, and prints the
# speed-up and the peak memory per replication (max RSS of the process / rank).
# Usage: bench/replications.sh [DCSIM] [SCENARIO] [R] [extra dcsim run options, e.g. --set horizon=2y]
set -euo pipefail
dcsim=${1:-build/release/cli/dcsim}
scenario=${2:-scenarios/default.yaml}
reps=${3:-8}
shift $(( $# < 3 ? $# : 3 ))
extra=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Prints "seconds max_rss_kb" of a command (GNU time's %e %M: the largest process's RSS).
measure() { /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null; cat "$tmp/time"; }
printf '%-22s %9s %9s %14s\n' "setup" "seconds" "speed-up" "max RSS (MB)"
read -r base_s base_kb < <(measure "$dcsim" run "$scenario" --quiet "${extra[@]}" --replications "$reps" --threads 1 -o "$tmp/t1")
printf '%-22s %9.2f %9.2f %14.1f\n' "1 thread" "$base_s" 1 "$(echo "$base_kb / 1024" | bc -l)"
read -r s kb < <(measure "$dcsim" run "$scenario" --quiet "${extra[@]}" --replications "$reps" --threads 2 -o "$tmp/t2")
printf '%-22s %9.2f %9.2f %14.1f\n' "2 threads" "$s" "$(echo "$base_s / $s" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
if command -v mpirun >/dev/null; then
  read -r s kb < <(measure mpirun -np 2 "$dcsim" run "$scenario" --quiet "${extra[@]}" --replications "$reps" -o "$tmp/m2")
  printf '%-22s %9.2f %9.2f %14.1f\n' "2 MPI ranks" "$s" "$(echo "$base_s / $s" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
fi
# One plain run: the memory of a single replication in one process.
read -r s kb < <(measure "$dcsim" run "$scenario" --quiet "${extra[@]}" -o "$tmp/one")
printf '%-22s %9.2f %9s %14.1f\n' "1 plain run" "$s" "-" "$(echo "$kb / 1024" | bc -l)"
