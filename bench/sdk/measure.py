"""Times no-op `dotnet build`s of the bench's projects and splits the difference between them.

Called by noop-build.sh once the projects are set up and built. Prints the CPU and its bf16 flags, then, for each
MSBuild mode (node reuse on, node reuse off, the MSBuild server), the median wall and CPU time of every project over
interleaved rounds (the order rotates each round, so drift of a shared machine hits all alike), the ratios of the
medians, and the median and range of the per-round ratios (the spread). Then the split: builds of each project with
MSBuild's evaluation profile (-profileevaluation) and -clp:PerformanceSummary, read for where the time difference
goes.
"""
import argparse
import atexit
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import cpu  # noqa: E402  (bench/cpu.py, shared by the benches)

parser = argparse.ArgumentParser()
parser.add_argument("--work", required=True)
parser.add_argument("--runs", type=int, default=10)
parser.add_argument("--split-runs", type=int, default=3)
parser.add_argument("--modes", default="on,off,server")
parser.add_argument("--project", action="append", required=True, help="name=label: a folder of --work and its label")
args = parser.parse_args()
projects = [tuple(p.split("=", 1)) for p in args.project]
names = [name for name, _ in projects]
labels = dict(projects)
baseline, subject = "plain", "torchenv"

# Node reuse on is what users get; this machine's environment turns it off (MSBUILDDISABLENODEREUSE=1) and disables the
# MSBuild server (DOTNET_CLI_USE_MSBUILD_SERVER=0), so each mode sets both explicitly.
base_env = {k: v for k, v in os.environ.items()
            if k not in ("MSBUILDDISABLENODEREUSE", "DOTNET_CLI_USE_MSBUILD_SERVER",
                         "DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER")}
MODES = {
    "on": ("node reuse on (what users get)", {"DOTNET_CLI_USE_MSBUILD_SERVER": "0"}, []),
    "off": ("node reuse off (-nodeReuse:false)", {"DOTNET_CLI_USE_MSBUILD_SERVER": "0", "MSBUILDDISABLENODEREUSE": "1"},
            ["-nodeReuse:false"]),
    "server": ("MSBuild server (DOTNET_CLI_USE_MSBUILD_SERVER=1)", {"DOTNET_CLI_USE_MSBUILD_SERVER": "1"}, []),
}
modes = args.modes.split(",")
# A handshake salt of its own keeps this bench's reused nodes and server apart from every other build on the machine (no
# build of another engineer lands on them, none of theirs is timed here) and lets the bench find, time and end them.
SALT = f"torchenv-bench-{os.getpid()}"
base_env["MSBUILDNODEHANDSHAKESALT"] = SALT


TICKS = os.sysconf("SC_CLK_TCK")
MARK = f"MSBUILDNODEHANDSHAKESALT={SALT}".encode()


def node_cpu():
    """CPU ms so far of every MSBuild node or server this bench started (found by its handshake salt). Reused nodes and
    the server outlive the build, so wait4 never reports their CPU."""
    total = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"/nodemode:" not in f.read():
                    continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                if MARK not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total[pid] = (int(fields[11]) + int(fields[12])) * 1000 / TICKS
        except OSError:
            continue
    return total


@atexit.register
def end_nodes():
    """The reused nodes and the server this bench started would idle for 15 minutes: end them (only them, by id)."""
    for pid in node_cpu():
        try:
            os.kill(int(pid), signal.SIGTERM)
        except OSError:
            pass


def build(name, mode, extra=()):
    """One `dotnet build`; returns (wall ms, CPU ms of dotnet, the processes it reaps and the bench's long-lived
    MSBuild nodes / server during the build, stdout)."""
    _, env, switches = MODES[mode]
    command = ["dotnet", "build", os.path.join(args.work, name), "-nologo", "-v", "q", *switches, *extra]
    with tempfile.TemporaryFile("w+") as out:
        nodes_before = node_cpu()
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**base_env, **env}, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = (time.perf_counter() - start) * 1000
        nodes_after = node_cpu()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if child.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {child.returncode}:\n{text}")
    nodes = sum(cpu - nodes_before.get(pid, 0) for pid, cpu in nodes_after.items())
    return wall, (usage.ru_utime + usage.ru_stime) * 1000 + nodes, text


cpu.print_machine("Goal that applies here: no-op build / Microsoft.NET.Sdk <= 1.05, node reuse on and off (issue 12). "
                  "The bf16 flags decide none of this bench's goals (they matter to bench/training).")
print(f"Load average at the start: {' '.join(open('/proc/loadavg').read().split()[:3])}")
print()

# One warm-up build of every project in every mode, then interleaved rounds.
for mode in modes:
    for name in names:
        build(name, mode)
times = {(mode, name): ([], []) for mode in modes for name in names}
for round_ in range(args.runs):
    for mode in modes if round_ % 2 == 0 else reversed(modes):
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for name in order:
            wall, cpu, _ = build(name, mode)
            times[mode, name][0].append(wall)
            times[mode, name][1].append(cpu)


def spread(values):
    return f"{min(values):.3f}–{max(values):.3f}"


width = max(len(label) for label in labels.values())
summary = []
for mode in modes:
    title, _, _ = MODES[mode]
    print(f"{title}: median of {args.runs} interleaved runs "
          "(CPU: user + system of dotnet, what it reaps, and the bench's reused MSBuild nodes / server)")
    for kind, index in (("wall", 0), ("CPU", 1)):
        medians = {name: statistics.median(times[mode, name][index]) for name in names}
        for name in names:
            values = times[mode, name][index]
            print(f"  {kind:<4} {labels[name]:<{width}}  {medians[name]:7.0f} ms   "
                  f"(min {min(values):.0f}, max {max(values):.0f})")
        for name in names:
            if name == baseline:
                continue
            per_round = [a / b for a, b in zip(times[mode, name][index], times[mode, baseline][index])]
            ratio = medians[name] / medians[baseline]
            print(f"  {kind:<4} {labels[name]:<{width}} / {labels[baseline]}: {ratio:.3f}   "
                  f"per-round ratios median {statistics.median(per_round):.3f}, range {spread(per_round)}")
            if name == subject:
                summary.append((title, kind, ratio, spread(per_round)))
    print()

print("Goal: TorchEnv.Sdk / Microsoft.NET.Sdk <= 1.05")
for title, kind, ratio, rng in summary:
    print(f"  {title:<45} {kind:<4} {ratio:.3f}  {'met' if ratio <= 1.05 else 'NOT met'}   (per-round range {rng})")
print(f"Load average at the end: {' '.join(open('/proc/loadavg').read().split()[:3])}")
print()


def loaded_task_assembly():
    """Whether a long-lived MSBuild process of this bench (server, reused node) has TorchEnv's task assembly mapped."""
    for pid in node_cpu():
        try:
            with open(f"/proc/{pid}/maps") as maps:
                if "TorchEnv.Sdk.Tasks.dll" in maps.read():
                    return True
        except OSError:
            continue
    return False


if "server" in modes:
    # Every build above was a no-op, so none of TorchEnv's tasks ran; the server that served them shows whether the task
    # assembly was loaded anyway (MSBuild loads a UsingTask's assembly when the task first runs).
    print(f"TorchEnv.Sdk.Tasks.dll in the memory map of the bench's MSBuild server and nodes after "
          f"{args.runs + 1} no-op builds of each project: {'LOADED' if loaded_task_assembly() else 'not loaded'}")
    print()


# ---- The split: where the difference goes --------------------------------------------------------------------------
def read_profile(path):
    """Rows of MSBuild's evaluation profile (a markdown table): id, parent, pass, file, expression, inclusive and
    exclusive ms."""
    rows = []
    with open(path) as profile:
        for line in profile:
            cells = line.rstrip("\n").split("|")
            if len(cells) < 13 or not cells[0].isdigit():
                continue
            expression = "|".join(cells[5:-7])
            rows.append({"id": cells[0], "parent": cells[1], "pass": cells[2], "file": cells[3],
                         "expression": expression, "inc": float(cells[-7]), "exc": float(cells[-5])})
    return rows


def summary_rows(text, start, end=None):
    """(ms, name, calls) rows of one section of -clp:PerformanceSummary's output."""
    section = text.split(start)[1]
    section = section.split(end)[0] if end else section
    return re.findall(r"^\s+(\d+) ms\s+(\S+)\s+(\d+) calls$", section, re.M)


SDK_IMPORT = re.compile(r'<Import Project="Sdk\.(props|targets)" Sdk="([^"]+)"')


def split_one(name):
    """One build with the evaluation profile and the performance summary; the figures that split its time."""
    project_file = next(f for f in os.listdir(os.path.join(args.work, name)) if f.endswith(".csproj"))
    with tempfile.TemporaryDirectory() as scratch:
        profile = os.path.join(scratch, "evaluation.md")
        _, _, text = build(name, "off", ["-clp:PerformanceSummary", f"-profileevaluation:{profile}"])
        rows = read_profile(profile)
    figures = {"evaluation": next(r["inc"] for r in rows if r["pass"] == "Total evaluation")}
    # The project's own SDK import: its exclusive time is the SDK's resolution (plus reading its Sdk.props); what the
    # SDK's file does besides importing Microsoft.NET.Sdk is its inclusive time minus that and minus the inner import.
    resolution, wrapper = 0.0, 0.0
    for row in rows:
        match = SDK_IMPORT.search(row["expression"])
        if row["file"] != project_file or not match:
            continue
        resolution += row["exc"]
        inner = sum(r["inc"] for r in rows if r["parent"] == row["id"] and 'Sdk="Microsoft.NET.Sdk"' in r["expression"])
        if match.group(2) != "Microsoft.NET.Sdk":
            wrapper += row["inc"] - row["exc"] - inner
    figures["sdk import (exclusive)"] = resolution
    figures["wrapper SDK own elements"] = wrapper
    # Elements of TorchEnv's own build files that made the profile (it lists only the costly ones).
    figures["TorchEnv files' elements in the profile"] = sum(
        r["exc"] for r in rows if r["file"].startswith("TorchEnv.Sdk"))
    targets = summary_rows(text, "Target Performance Summary:", "Task Performance Summary:")
    tasks = summary_rows(text, "Task Performance Summary:")
    figures["TorchEnv targets (run time)"] = sum(int(ms) for ms, target, _ in targets if "TorchEnv" in target)
    for ms, target, calls in targets:
        if "TorchEnv" in target:
            figures[f"  {target} ({calls}x)"] = int(ms)
    ours = {"ResolveLockedPackages", "VerifyLockedPackages", "CheckNativeCompatibility",
            "GenerateTorchEnvironmentSource"}
    figures["TorchEnv tasks run"] = sum(int(calls) for _, task, calls in tasks if task in ours)
    evaluated = summary_rows(text, "Project Evaluation Performance Summary:", "Project Performance Summary:")
    figures["evaluations of the project"] = sum(int(n) for _, path, n in evaluated if path.endswith(project_file))
    figures["other evaluations (TorchEnv's generated .proj files)"] = sum(
        int(n) for _, path, n in evaluated if not path.endswith(project_file))
    return figures


if args.split_runs == 0:
    sys.exit(0)
print(f"Split (node reuse off, {args.split_runs} interleaved builds of each with -profileevaluation and "
      "-clp:PerformanceSummary; medians, ms per `dotnet build`, which evaluates each project for restore and for build):")
samples = {name: [] for name in names}
for round_ in range(args.split_runs):
    for name in names[round_ % len(names):] + names[:round_ % len(names)]:
        samples[name].append(split_one(name))
keys = list(dict.fromkeys(k for n in names for s in samples[n] for k in s))
for n in names:
    for s in samples[n]:
        for k in keys:
            s.setdefault(k, 0)
print(f"  {'':<52}" + "".join(f"{labels[n][:22]:>24}" for n in names))
for key in keys:
    print(f"  {key:<52}" + "".join(f"{statistics.median(s[key] for s in samples[n]):>24.0f}" for n in names))
med = {n: {k: statistics.median(s[k] for s in samples[n]) for k in keys} for n in names}
for name in names:
    if name == baseline:
        continue
    d = {k: med[name][k] - med[baseline][k] for k in keys}
    print(f"  {labels[name]} − {labels[baseline]}: evaluation {d['evaluation']:+.0f} ms, of which the SDK import "
          f"(resolution) {d['sdk import (exclusive)']:+.0f} ms and the wrapper's own elements "
          f"{d['wrapper SDK own elements']:+.0f} ms; TorchEnv targets {med[name]['TorchEnv targets (run time)']:.0f} ms; "
          f"TorchEnv tasks run: {med[name]['TorchEnv tasks run']:.0f} (0: the task assembly is not loaded)")

