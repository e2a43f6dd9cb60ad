"""The machine line every bench prints first: the CPU model, its logical CPUs and its bf16 flags, then the goals that
apply. Machines of this kind differ in CPU (some have avx512_bf16, some no AVX-512), and only the training bench's
precision depends on the flags; the others say so."""
import os

# The flags that give a CPU native bfloat16 matrix maths (bench/training/run.sh chooses bf16 by the same two).
BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def model_and_bf16_flags():
    """(model name, sorted bf16 flags) from /proc/cpuinfo; ("unknown", []) where it cannot be read."""
    model, flags = "unknown", set()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    model = value.strip()
                elif key.strip() == "flags":
                    flags |= set(value.split())
    except OSError:
        pass
    return model, sorted(f for f in flags if f in BF16_FLAGS)


def print_machine(goals):
    """Prints the CPU line, then `goals` (which goals apply here, and that the bf16 flags decide none of them or which)."""
    model, bf16 = model_and_bf16_flags()
    print(f"CPU: {model}, {os.cpu_count()} cores; bf16 flags: {' '.join(bf16) or 'none (no avx512_bf16, no amx_bf16)'}")
    print(goals)
