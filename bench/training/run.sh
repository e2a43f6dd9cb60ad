#!/usr/bin/env bash
# bench/training: the template's training program side by side with its own compute ceiling, a plain TorchSharp loop
# and PyTorch, on the same model, data, batch size, precision and compute threads. Prints figures, asserts nothing.
#
#   bench/training/run.sh
#
# What runs (each a separate process printing one BENCHMARK line; the first 5 steps are warm-up, not measured):
#   ceiling-<p>         PureCompute: the template's model + TorchEnv.Training's AdamW and autocast on batches in memory
#   template-<p>        the template's Program.cs (TemplateApp) with --benchmark: decoded cache, loader, profiler, logging
#   plain               PlainLoop: the same model in float32 with TorchSharp's own DataLoader and AdamW
#   pytorch-<p>         pytorch_peer.py: the model in PyTorch, ImageFolder + DataLoader(num_workers=1, persistent)
#   pytorch-ceiling-<p> pytorch_peer.py --ceiling: PyTorch on batches in memory
#   template-jpeg       the template on the bundled set saved as JPEG (first epoch = decode + one epoch)
#   template-stream     the template with --cache off: images read and decoded by loader workers every epoch
#   template-rt-<s>     (RUNTIME=1) the template under one .NET runtime setting <s>: gc-nonconcurrent
#                       (DOTNET_gcConcurrent=0: no background GC thread), no-tiered-pgo (DOTNET_TieredPGO=0),
#                       no-tiering (DOTNET_TieredCompilation=0: fully optimised code from the start, no rejit thread);
#                       the evidence for setting (or not setting) any of them in the template's project file
# <p> is bf16 (on CPUs with avx512_bf16/amx_bf16) and off (float32). Runs are interleaved: every round runs every
# variant, in reverse order on even rounds, so that other load on a shared machine hits all alike; the summary reports
# medians and medians of per-round ratios.
#
# Environment:
#   ROUNDS=3      interleaved rounds
#   STEPS=60      steps per run
#   THREADS=N     libtorch compute threads for every program (default: one per logical CPU, libtorch's default)
#   BENCH_DIR=... work folder (data sets, logs); default $TMPDIR/torchenv-bench
#   RUNTIME=1     also run the template-rt-* variants
#   QUIET=1       before each run, wait (up to QUIET_WAIT=600 s) until the machine's CPUs are >= 90% idle: on a shared
#                 machine another process's burst stalls libtorch's compute threads at their barriers and swamps the
#                 differences measured here
#
# The .NET programs build on the packed TorchEnv.Sdk (bench/training/environment.yml and its lock), so pack first:
# `dotnet pack Sdk.sln -c Release -o artifacts/packages` (eng/test.sh and eng/demo.sh do). PyTorch comes from Debian
# (python3-torch 1.13, python3-torchvision 0.14, python3-pil), installed here with apt-get when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${ROUNDS:-3}"
steps="${STEPS:-60}"
threads="${THREADS:-$(nproc)}"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/torchenv-bench}"
python=/usr/bin/python3   # Debian's interpreter: python3-torch installs for it, not for any other python3 on PATH

if ! "$python" -c "import torch, torchvision, PIL" 2>/dev/null; then
  echo "== installing Debian's PyTorch (python3-torch python3-torchvision python3-pil)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-torch python3-torchvision python3-pil >/dev/null
fi

for project in PureCompute TemplateApp PlainLoop DecodeSpeed; do
  dotnet build "$here/$project" -c Release -v q --nologo -clp:ErrorsOnly
done
bin() { echo "$here/$1/bin/Release/net10.0/$1.dll"; }

flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
if grep -qwE 'avx512_bf16|amx_bf16' <<<"$flags"; then precisions=(bf16 off); main=bf16; else precisions=(off); main=off; fi

mkdir -p "$work"
cd "$work"
results="$work/results.txt"
: > "$results"
data="$work/data/shapes"
jpeg="$work/data/shapes-jpeg"
dotnet "$(bin TemplateApp)" --benchmark --max-steps 6 --threads "$threads" --log-dir "$work/runs" > /dev/null   # writes the bundled set
if [ ! -d "$jpeg" ]; then
  # The same images as JPEG (quality 90), named .JPEG as ImageNet's are.
  "$python" - "$data" "$jpeg" <<'PY'
import pathlib, sys
from PIL import Image
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for png in source.rglob("*.png"):
    out = target / png.relative_to(source).with_suffix(".JPEG")
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.open(png).convert("RGB").save(out, quality=90)
PY
fi

# With QUIET=1 a run starts only on an idle machine, and a run that another process disturbed (it used more than 10%
# of the machine's CPU time while the run lasted) is measured again, up to 3 times.
cpu_jiffies() { local c; read -r -a c < <(grep '^cpu ' /proc/stat); echo "$((c[1] + c[2] + c[3] + c[4] + c[5] + c[6] + c[7] + c[8])) $((c[4] + c[5]))"; }
# measured <log> <command...>: runs the command with its output in <log>; prints the CPU time it (and every process
# it waited for) used, in 1/100 s.
measured() {
  "$python" -c 'import resource, subprocess, sys
with open(sys.argv[1], "w") as log:
    code = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(int((usage.ru_utime + usage.ru_stime) * 100))
sys.exit(code)' "$@"
}
idle_share() {
  local a b
  read -r -a a < <(cpu_jiffies); sleep 2; read -r -a b < <(cpu_jiffies)
  echo $(( b[0] > a[0] ? 100 * (b[1] - a[1]) / (b[0] - a[0]) : 0 ))
}
wait_quiet() {
  local waited=0
  until [ "$(idle_share)" -ge 90 ]; do
    if [ "$waited" -ge "${QUIET_WAIT:-600}" ]; then echo "  (machine still busy after ${waited} s; measuring anyway)" >&2; return 0; fi
    sleep 3; waited=$((waited + 5))
  done
}

# run <variant> <command...>: keeps the BENCHMARK line, tagged with the variant and the round.
run() {
  local variant="$1"; shift
  local attempt before_cpu after_cpu own foreign
  for attempt in 1 2 3; do
    [ "${QUIET:-0}" = "1" ] && wait_quiet
    echo "round $round: $variant" >&2
    read -r -a before_cpu < <(cpu_jiffies)
    own=$(measured "$work/$variant.$round.log" "$@") || { echo "failed, see $work/$variant.$round.log" >&2; exit 1; }
    read -r -a after_cpu < <(cpu_jiffies)
    # Busy jiffies of the whole machine during the run, less the run's own: what other processes took.
    foreign=$(( (after_cpu[0] - before_cpu[0]) - (after_cpu[1] - before_cpu[1]) - own ))
    if [ "${QUIET:-0}" != "1" ] || [ $((100 * foreign)) -le $((10 * (after_cpu[0] - before_cpu[0]))) ]; then break; fi
    echo "  disturbed: other processes used $((100 * foreign / (after_cpu[0] - before_cpu[0])))% of the CPU time; measuring again" >&2
  done
  grep '^BENCHMARK ' "$work/$variant.$round.log" | sed "s/^BENCHMARK /$variant $round /" >> "$results"
}

variants=()
for p in "${precisions[@]}"; do variants+=("ceiling-$p" "template-$p" "pytorch-$p" "pytorch-ceiling-$p"); done
variants+=(plain template-jpeg template-stream)
if [ "${RUNTIME:-0}" = "1" ]; then variants+=(template-rt-gc-nonconcurrent template-rt-no-tiered-pgo template-rt-no-tiering); fi
command_of() {
  local template=(dotnet "$(bin TemplateApp)" --benchmark --max-steps "$steps" --threads "$threads" --log-dir "$work/runs")
  case "$1" in
    ceiling-*) echo dotnet "$(bin PureCompute)" --max-steps "$steps" --threads "$threads" --amp "${1#ceiling-}" --data "$data" ;;
    template-jpeg) echo "${template[@]}" --amp "$main" --data "$jpeg" ;;
    template-stream) echo "${template[@]}" --amp "$main" --cache off ;;
    template-rt-gc-nonconcurrent) echo env DOTNET_gcConcurrent=0 "${template[@]}" --amp "$main" ;;
    template-rt-no-tiered-pgo) echo env DOTNET_TieredPGO=0 "${template[@]}" --amp "$main" ;;
    template-rt-no-tiering) echo env DOTNET_TieredCompilation=0 "${template[@]}" --amp "$main" ;;
    template-*) echo "${template[@]}" --amp "${1#template-}" ;;
    pytorch-ceiling-*) echo "$python" "$here/pytorch_peer.py" --ceiling --max-steps "$steps" --threads "$threads" --amp "${1#pytorch-ceiling-}" --data "$data" ;;
    pytorch-*) echo "$python" "$here/pytorch_peer.py" --max-steps "$steps" --threads "$threads" --amp "${1#pytorch-}" --data "$data" ;;
    plain) echo dotnet "$(bin PlainLoop)" --max-steps "$steps" --threads "$threads" --data "$data" ;;
  esac
}

for round in $(seq 1 "$rounds"); do
  order=("${variants[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    for ((i = ${#variants[@]} - 1, j = 0; i >= 0; i--, j++)); do order[j]="${variants[i]}"; done
  fi
  for variant in "${order[@]}"; do
    # shellcheck disable=SC2046  # the command's words are split on purpose (paths hold no spaces here)
    run "$variant" $(command_of "$variant")
  done
done

echo
echo "Decode speed (one thread, CPU time):"
dotnet "$(bin DecodeSpeed)" --images 1000 --data "$data"
echo
model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
bf16_flags=$(grep -owE 'avx512_bf16|amx_bf16' <<<"$flags" | sort -u | xargs || true)
python3 "$here/summarize.py" "$results" --cpu "$model" --cpus "$(nproc)" --bf16-flags "${bf16_flags:-none}" \
  --threads "$threads" --steps "$steps" --main "$main" --images "$(find "$data/train" -name '*.png' | wc -l)"
echo
echo "Raw results: $results"
