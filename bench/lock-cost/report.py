"""Prints the figures of bench/lock-cost/run.sh from the files it left (lock files, package folders, log lines)."""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import cpu  # noqa: E402  (bench/cpu.py, shared by the benches)

parser = argparse.ArgumentParser()
for name in ("--lock", "--packages", "--restored", "--lock-seconds", "--restore-seconds", "--lock-read", "--relock", "--relock-read"):
    parser.add_argument(name, required=True)
args = parser.parse_args()


def environments(lock_path):
    """{(variant, platform): {(id, version)}} from the lock's fixed block layout (docs/lock-format.md)."""
    result, key, in_packages, current = {}, None, False, None
    variant = None
    with open(lock_path, encoding="utf-8") as lock:
        for line in lock:
            if m := re.match(r"^  - variant: (\S+)", line):
                variant, key, in_packages = m.group(1).strip("'\""), None, False
            elif variant and (m := re.match(r"^    platform: (\S+)", line)):
                key = (variant, m.group(1).strip("'\""))
                result[key] = set()
            elif re.match(r"^    packages:", line):
                in_packages = True
            elif re.match(r"^    \S", line):
                in_packages = False
            elif in_packages and (m := re.match(r"^      - id: (\S+)", line)):
                current = m.group(1).strip("'\"")
            elif in_packages and current and key and (m := re.match(r"^        version: (\S+)", line)):
                result[key].add((current.lower(), m.group(1).strip("'\"").lower()))
                current = None
    return result


def size(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def installed(folder):
    """{(id, version): bytes} of the package folders."""
    found = {}
    if not os.path.isdir(folder):
        return found
    for package in os.listdir(folder):
        for version in os.listdir(os.path.join(folder, package)) if os.path.isdir(os.path.join(folder, package)) else []:
            found[(package, version)] = size(os.path.join(folder, package, version))
    return found


cpu.print_machine("Goals that apply here (issue 12): 0 bytes left for non-host packages, first lock / plain restore <= 1.5, "
                  "a relock that adds a platform reads only its packages. The bf16 flags decide none of them (they matter to bench/training).")
lock = environments(args.lock)
host = lock.get(("cpu", "linux-x64"), set())
left = installed(args.packages)
restored = installed(args.restored)
non_host = {k: v for k, v in left.items() if k not in host and k not in restored}
print(f"first lock, {len(lock)} entries ({', '.join(p for _, p in sorted(lock))}); {len(left)} package folders left, {size(args.packages) / 2**20:.1f} MB")
print(f"  bytes left in the global packages folder for non-host packages: {sum(non_host.values())} "
      f"({len(non_host)} package(s){': ' + ', '.join(f'{i} {v}' for i, v in sorted(non_host)) if non_host else ''}) [goal 0]")
lock_s, restore_s = float(args.lock_seconds), float(args.restore_seconds)
print(f"  first lock {lock_s:.1f} s; plain dotnet restore of the linux-x64 packages ({len(restored)} packages) {restore_s:.1f} s; "
      f"ratio {lock_s / restore_s:.2f} [goal <= 1.5]")
print(f"  {args.lock_read}")

relock = environments(args.relock)
new = relock.get(("cpu", "osx-arm64"), set()) - set().union(*(v for k, v in relock.items() if k[1] != "osx-arm64"))
print(f"relock after adding osx-arm64: {args.relock_read}")
print(f"  the new platform's own packages: {len(new)} ({', '.join(f'{i} {v}' for i, v in sorted(new))}) [goal: only these are read]")
