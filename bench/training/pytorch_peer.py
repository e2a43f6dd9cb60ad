#!/usr/bin/python3
"""The PyTorch peer of bench/training: the template's SmallResNet in PyTorch (the template's own pytorch/model.py, so
the bench measures the network users export to), trained the way a PyTorch user
would — torchvision's ImageFolder + DataLoader(num_workers=1, persistent_workers=True), AdamW, optional bf16 autocast —
on the same data folder, batch size, crop/flip/normalise and compute threads. With --ceiling it trains on a few
batches already in memory instead (no loader): PyTorch's own pure-compute figure on this stack.

Prints one "BENCHMARK {json}" line in the template's format. Debian's python3-torch (1.13) and python3-torchvision;
run.sh installs them with apt-get.

    /usr/bin/python3 pytorch_peer.py --data data/shapes [--max-steps 60] [--amp bf16|off] [--threads 2] [--ceiling]
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torchvision
from torchvision import transforms

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates", "torchenv-train", "pytorch"))
from model import SmallResNet  # noqa: E402  (the template's network, one definition for the export and the bench)

WARMUP = 5
DISTINCT_BATCHES = 8


def cpu_seconds():
    """CPU time of this process and of its loader worker processes (read live from /proc: they do not exit)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for child in children():
        try:
            with open(f"/proc/{child}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def children():
    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as listing:
            return [int(pid) for pid in listing.read().split()]
    except OSError:
        return []


def peak_rss_mib():
    """Peak resident memory of this process plus the current one of its worker processes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for child in children():
        try:
            with open(f"/proc/{child}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak += int(line.split()[1]) / 1024
        except OSError:
            pass
    return int(peak)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="image folder with train/<class>/*")
    parser.add_argument("--max-steps", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--amp", choices=["bf16", "off"], default="off")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--workers", type=int, default=1, help="DataLoader num_workers (PyTorch's usual small-machine setting)")
    parser.add_argument("--ceiling", action="store_true", help="train on batches in memory: no loader")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    transform = transforms.Compose([
        transforms.RandomCrop(32, padding=4),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    dataset = torchvision.datasets.ImageFolder(os.path.join(args.data, "train"), transform=transform)
    if args.ceiling:
        loader = None
        batches = []
        for b in range(DISTINCT_BATCHES):
            samples = [dataset[(b * args.batch_size + i) * 7919 % len(dataset)] for i in range(args.batch_size)]
            batches.append((torch.stack([s[0] for s in samples]), torch.tensor([s[1] for s in samples])))
    else:
        loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True, drop_last=True,
                                             num_workers=args.workers, persistent_workers=args.workers > 0)

    model = SmallResNet(len(dataset.classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.003, weight_decay=0.01)
    loss_function = nn.CrossEntropyLoss()
    model.train()

    def next_batch(step, iterator):
        if loader is None:
            return batches[step % DISTINCT_BATCHES], iterator
        try:
            return next(iterator), iterator
        except StopIteration:
            iterator = iter(loader)
            return next(iterator), iterator

    iterator = iter(loader) if loader is not None else None
    samples = 0
    wait = 0.0
    started = cpu_started = None
    for step in range(args.max_steps):
        if step == WARMUP:
            started, cpu_started = time.perf_counter(), cpu_seconds()
        before = time.perf_counter()
        (images, labels), iterator = next_batch(step, iterator)
        if started is not None:
            wait += time.perf_counter() - before
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.amp == "bf16"):
            loss = loss_function(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 20 == 0:
            loss.item()
        if started is not None:
            samples += args.batch_size
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    print("BENCHMARK " + json.dumps({
        "program": "pytorch-ceiling" if args.ceiling else "pytorch",
        "amp": args.amp,
        "workers": 0 if args.ceiling else args.workers,
        "computeThreads": torch.get_num_threads(),
        "torch": torch.__version__,
        "batchSize": args.batch_size,
        "steps": args.max_steps - WARMUP,
        "samplesPerSecond": round(samples / elapsed, 2),
        "samplesPerCpuSecond": round(samples / cpu, 2) if cpu > 0 else 0,
        "dataWaitShare": round(wait / elapsed, 4),
        "peakWorkingSetMiB": peak_rss_mib(),
    }), flush=True)


if __name__ == "__main__":
    main()
