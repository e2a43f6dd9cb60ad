#!/usr/bin/env python3
"""Summarises bench/training/run.sh's results: one line per run, "<variant> <round> {BENCHMARK json}". Prints the
table of medians and the goals' ratios (medians of per-round ratios), and says which goals apply on this CPU."""
import argparse
import json
import statistics
from collections import defaultdict


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--cpu", required=True)
    parser.add_argument("--cpus", required=True)
    parser.add_argument("--bf16-flags", required=True)
    parser.add_argument("--threads", required=True)
    parser.add_argument("--steps", required=True)
    parser.add_argument("--main", required=True, help="the precision the goals compare: bf16 where native, else off")
    parser.add_argument("--images", type=int, required=True, help="training images of the bundled set")
    args = parser.parse_args()

    runs = defaultdict(dict)   # variant -> round -> record
    for line in open(args.results):
        variant, round_, payload = line.split(" ", 2)
        runs[variant][round_] = json.loads(payload)

    def median(variant, field="samplesPerSecond"):
        values = [r[field] for r in runs[variant].values() if field in r]
        return statistics.median(values) if values else float("nan")

    def ratio(top, bottom, field="samplesPerSecond"):
        per_round = [runs[top][r][field] / runs[bottom][r][field]
                     for r in runs[top] if r in runs[bottom] and runs[bottom][r][field] > 0]
        return statistics.median(per_round) if per_round else float("nan"), per_round

    rounds = max((len(v) for v in runs.values()), default=0)
    native = args.bf16_flags != "none"
    print(f"CPU: {args.cpu}, {args.cpus} logical CPUs, bf16 flags: {args.bf16_flags}; "
          f"{args.threads} compute threads, batch 64, {args.steps} steps per run (5 warm-up), {rounds} interleaved rounds")
    print()
    print(f"{'variant':<22} {'amp':<5} {'workers':>7} {'samples/s':>10} {'samples/CPU-s':>14} {'data wait':>10} {'peak MiB':>9}")
    for variant in sorted(runs, key=order):
        any_run = next(iter(runs[variant].values()))
        print(f"{variant:<22} {any_run['amp']:<5} {any_run['workers']:>7} {median(variant):>10.1f} "
              f"{median(variant, 'samplesPerCpuSecond'):>14.1f} {100 * median(variant, 'dataWaitShare'):>9.1f}% "
              f"{median(variant, 'peakWorkingSetMiB'):>9.0f}")
    print()

    p = args.main
    def show(label, value, rounds_, goal=None):
        spread = f" (rounds: {', '.join(f'{x:.2f}' for x in rounds_)})" if rounds_ else ""
        print(f"{label:<62} {value:5.2f}x{spread}" + (f"   goal {goal}" if goal else ""))

    for precision in (["bf16", "off"] if native else ["off"]):
        value, per = ratio(f"template-{precision}", f"ceiling-{precision}")
        show(f"(a) template / pure compute, {precision}", value, per, ">= 0.90")
    value, per = ratio(f"template-{p}", "plain")
    show(f"(b) template ({p}) / plain TorchSharp loop (fp32)", value, per, ">= 2.3" if native else "2.3 does not apply (no native bf16)")
    value, per = ratio(f"template-{p}", f"pytorch-{p}")
    show(f"(c) template / PyTorch ImageFolder + DataLoader, both {p}", value, per, ">= 1.5")
    value, per = ratio(f"pytorch-{p}", f"pytorch-ceiling-{p}")
    show(f"    PyTorch's pipeline / PyTorch pure compute, {p}", value, per)
    value, per = ratio(f"ceiling-{p}", f"pytorch-ceiling-{p}")
    show(f"    our pure compute / PyTorch pure compute, {p}", value, per)

    cache_mib = args.images * 3 * 32 * 32 / 2**20
    print(f"(d) peak memory: template ({p}) {median(f'template-{p}', 'peakWorkingSetMiB'):.0f} MiB, plain loop "
          f"{median('plain', 'peakWorkingSetMiB'):.0f} MiB + decoded cache {cache_mib:.1f} MiB "
          f"= {median('plain', 'peakWorkingSetMiB') + cache_mib:.0f} MiB   goal: template <= that")

    if "template-jpeg" in runs:
        later = median("template-jpeg")
        decode = median("template-jpeg", "decodeSeconds")
        first = args.images / (decode + args.images / later) if later > 0 else float("nan")
        print(f"(e) JPEG folder ({args.images} images, q90): decode once {decode:.2f} s on every core; first epoch "
              f"(decode + one epoch) {first:.1f} samples/s, later epochs {later:.1f} samples/s; "
              f"without the cache (--cache off, PNG, read and decoded every epoch) {median('template-stream'):.1f} samples/s")
    settings = sorted(v for v in runs if v.startswith("template-rt-"))
    if settings:
        print()
        print(f"Runtime settings against the template's defaults ({p}), samples/s:")
        for variant in settings:
            value, per = ratio(variant, f"template-{p}")
            show(f"    {variant[len('template-rt-'):]} / defaults", value, per)
    if not native:
        print()
        print("This CPU has no native bf16 (avx512_bf16/amx_bf16): libtorch emulates bf16 (about 0.13x of fp32), so the "
              "template's --amp auto stays in fp32 and (b), (c) compare fp32 with fp32. The 2.3x of (b) comes from "
              "mixed precision doubling the compute rate; without it the ceiling is pure compute / plain loop, which "
              "the loader alone cannot lift much beyond 1.2x on this model.")


def order(variant):
    names = ["ceiling-bf16", "template-bf16", "ceiling-off", "template-off", "plain", "pytorch-bf16",
             "pytorch-ceiling-bf16", "pytorch-off", "pytorch-ceiling-off", "template-jpeg", "template-stream"]
    return names.index(variant) if variant in names else len(names)


if __name__ == "__main__":
    main()
