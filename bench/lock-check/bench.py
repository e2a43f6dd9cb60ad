"""Times shell commands in interleaved runs and prints the median of each and the ratio of the first to the second."""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import cpu  # noqa: E402  (bench/cpu.py, shared by the benches)

parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=10)
parser.add_argument("--name", action="append", required=True)
parser.add_argument("--command", action="append", required=True)
parser.add_argument("--warmup", type=int, default=2)
args = parser.parse_args()
commands = list(zip(args.name, args.command))
cpu.print_machine(f"Goal that applies here: {commands[0][0]} / {commands[1][0]} <= 0.5. "
                  "The bf16 flags decide none of this bench's goals (they matter to bench/training).")


def run(command):
    start = time.perf_counter()
    done = subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"'{command}' exited {done.returncode}:\n{done.stderr}")
    return elapsed


for _ in range(args.warmup):
    for _, command in commands:
        run(command)

times = {name: [] for name, _ in commands}
for _ in range(args.runs):
    for name, command in commands:  # interleaved: A B A B ..., so drift of the machine hits both alike
        times[name].append(run(command))

medians = {name: statistics.median(values) for name, values in times.items()}
width = max(len(name) for name in medians)
for name, values in times.items():
    print(f"{name:<{width}}  median {medians[name] * 1000:7.0f} ms   min {min(values) * 1000:7.0f} ms   max {max(values) * 1000:7.0f} ms   ({len(values)} runs)")
first, second = (medians[name] for name, _ in commands[:2])
print(f"ratio {commands[0][0]} / {commands[1][0]} = {first / second:.2f}  (goal <= 0.5)")
