#!/usr/bin/env bash
# bench/training: the template's program path (prefetching loader, AMP as chosen) against a plain TorchSharp loop
# (float32, TorchSharp's own DataLoader) on the same model, data and batch size. Runs are interleaved (the order
# alternates every round) so that other load on the machine hits both alike; the table reports medians and the
# median of the per-round ratios. Prints figures, asserts nothing.
#
#   bench/training/run.sh
#
# Environment:
#   ROUNDS=3          interleaved rounds
#   STEPS=60          steps per run (the first 5 are warm-up, not measured)
#   BF16_STEPS=20     steps of the forced-bf16 run (bf16 is emulated, hence slow, on CPUs without avx512_bf16/amx)
#   BENCH_DIR=...     work folder (data set, logs); default $TMPDIR/torchenv-bench
#
# The three programs build on the packed TorchEnv.Sdk (bench/training/environment.yml and its lock), so pack first:
# `dotnet pack Sdk.sln -c Release -o artifacts/packages` (eng/test.sh and eng/demo.sh do). On Debian 12 the SDK's
# libstdc++ compatibility step makes TorchSharp load; nothing else is needed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${ROUNDS:-3}"
steps="${STEPS:-60}"
bf16_steps="${BF16_STEPS:-20}"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/torchenv-bench}"

for project in TemplateApp PlainLoop DecodeSpeed; do
  dotnet build "$here/$project" -c Release -v q --nologo -clp:ErrorsOnly
done
outputs=("$here/TemplateApp/bin/Release/net10.0" "$here/PlainLoop/bin/Release/net10.0" "$here/DecodeSpeed/bin/Release/net10.0")

mkdir -p "$work"
cd "$work"
results="$work/results.txt"
: > "$results"

# run <variant> <command...>: keeps the BENCHMARK line, tagged with the variant and the round.
run() {
  local variant="$1"; shift
  echo "round $round: $variant: $*" >&2
  "$@" > "$work/$variant.$round.log" 2>&1 || { echo "failed, see $work/$variant.$round.log" >&2; exit 1; }
  grep '^BENCHMARK ' "$work/$variant.$round.log" | sed "s/^BENCHMARK /$variant $round /" >> "$results"
}

template=(dotnet "${outputs[0]}/TemplateApp.dll" --benchmark --log-dir "$work/runs")
plain=(dotnet "${outputs[1]}/PlainLoop.dll")
round=0
"${template[@]}" --max-steps 6 > /dev/null   # generates the data set once, outside the measurements
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    run template "${template[@]}" --max-steps "$steps"
    run plain "${plain[@]}" --max-steps "$steps"
  else
    run plain "${plain[@]}" --max-steps "$steps"
    run template "${template[@]}" --max-steps "$steps"
  fi
  run template-fp32 "${template[@]}" --max-steps "$steps" --amp off
  run template-bf16 "${template[@]}" --max-steps "$bf16_steps" --amp bf16
done

echo
echo "Decode speed (one thread, CPU time):"
dotnet "${outputs[2]}/DecodeSpeed.dll" --images 1000
echo
echo "Throughput ($rounds interleaved rounds, $steps steps each, batch 64, $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
# Fields of a BENCHMARK line are flat JSON numbers/strings; mawk has no JSON, so pick them by name.
awk '
  function field(name,   m) { if (match($0, "\"" name "\":[^,}]*")) { m = substr($0, RSTART, RLENGTH); sub(/^[^:]*:/, "", m); gsub(/"/, "", m); return m } return "" }
  function median(list, n,   i, j, t, a) {
    split(list, a, " "); n = 0; for (i in a) n++
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    variant = $1; round = $2
    rate[variant] = rate[variant] " " field("samplesPerSecond"); byRound[variant, round] = field("samplesPerSecond")
    work[variant] = work[variant] " " field("samplesPerCpuSecond")
    wait[variant] = wait[variant] " " field("dataWaitShare"); mem[variant] = mem[variant] " " field("peakWorkingSetMiB")
    amp[variant] = field("amp"); workers[variant] = field("workers"); rounds[round] = 1
  }
  END {
    printf "%-14s %-5s %8s %12s %18s %12s %16s\n", "variant", "amp", "workers", "samples/s", "samples/CPU-s", "data wait", "peak memory MiB"
    split("template plain template-fp32 template-bf16", order, " ")
    for (k = 1; k <= 4; k++) { v = order[k]; if (!(v in rate)) continue
      printf "%-14s %-5s %8s %12.1f %18.1f %11.1f%% %16d\n", v, amp[v], workers[v], median(rate[v]), median(work[v]), 100 * median(wait[v]), median(mem[v]) }
    for (r in rounds) { if (byRound["plain", r] > 0) a = a " " byRound["template", r] / byRound["plain", r]
                        if (byRound["template-fp32", r] > 0) b = b " " byRound["template-bf16", r] / byRound["template-fp32", r] }
    print ""
    printf "(a) template / plain TorchSharp loop:  %.2fx  (median of per-round ratios; goal >= 2.3x); per CPU-second: %.2fx\n", median(a), median(work["template"]) / median(work["plain"])
    printf "(b) bf16 autocast / fp32, same loader: %.2fx; per CPU-second: %.2fx\n", median(b), median(work["template-bf16"]) / median(work["template-fp32"])
    printf "(c) data-wait share, template defaults: %.1f%%  (goal <= 10%%)\n", 100 * median(wait["template"])
    printf "(d) peak memory: template %d MiB, plain %d MiB, bf16 %d MiB\n", median(mem["template"]), median(mem["plain"]), median(mem["template-bf16"])
  }' "$results"
echo
echo "Raw results: $results"
