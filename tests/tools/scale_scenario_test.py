#!/usr/bin/env python3
"""Checks tools/scale-scenario against the promises of its help: halls of at most 8,000 GPUs at
two sites with every server type of the mix, a fleet near the GPUs asked for, and arrival rates
whose requested GPU-hours are the load asked for, recomputed here from the written file; and
`dcsim validate` accepts the scenario.  Usage: scale_scenario_test.py SOURCE_DIR DCSIM"""
import math
import re
import subprocess
import sys
import tempfile

source, dcsim = sys.argv[1], sys.argv[2]
GPUS_PER_RACK = {"dgx-h100": 32, "hgx-h200": 32, "dgx-b200": 32, "gb200-nvl72": 72}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


for gpus, years, load in ((1000, 1, 0.7), (100000, 1, 0.7), (20000, 3, 0.5)):
    text = subprocess.run([sys.executable, f"{source}/tools/scale-scenario", str(gpus), str(years), "--load", str(load)],
                          check=True, capture_output=True, text=True).stdout
    halls = re.findall(r"- count: (\d+)\n\s+server: (\S+)", text)
    fleet = sum(int(c) * GPUS_PER_RACK[s] for c, s in halls)
    check(all(int(c) * GPUS_PER_RACK[s] <= 8000 for c, s in halls), f"{gpus}: a hall over 8,000 GPUs")
    check({s for _, s in halls} == set(GPUS_PER_RACK), f"{gpus}: not every server type")
    check(len(re.findall(r"^  - name: ", text.split("workloads:")[0], re.M)) == 2, f"{gpus}: not two sites")
    check(abs(fleet - gpus) <= 0.05 * gpus, f"{gpus}: fleet of {fleet} GPUs")
    check(f"horizon: {years} y" in text, f"{gpus}: horizon")
    asked = 0.0  # GPU-hours per day the workloads request
    for rate, sizes, median, sigma in re.findall(
            r"rate: ([\d.e+]+) /day\}\n\s+gpus: \{discrete: \{([^}]*)\}\}\n\s+duration: \{lognormal: \{median: ([\d.]+) h, sigma: ([\d.]+)",
            text):
        mean_gpus = sum(int(g) * float(p) for g, p in (kv.split(":") for kv in sizes.split(",")))
        asked += float(rate) * mean_gpus * float(median) * math.exp(float(sigma) ** 2 / 2)
    check(abs(asked / (fleet * 24) - load) < 0.001 * load, f"{gpus}: requested load {asked / (fleet * 24):.4f}")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
        f.write(text)
        f.flush()
        r = subprocess.run([dcsim, "validate", f.name], capture_output=True, text=True)
        check(r.returncode == 0, f"{gpus}: dcsim validate: {r.stdout}{r.stderr}")

for f in failures:
    print("FAILED:", f)
sys.exit(1 if failures else 0)
