#!/usr/bin/env bash
# Installs what TorchEnv's build and tests need beyond the .NET SDK, from Debian/Ubuntu packages:
# - g++: builds the libstdc++ compatibility shim packed into TorchEnv.Sdk;
# - python3-torch (Debian's PyTorch, for /usr/bin/python3): Training.Tests loads the weights TorchEnv.Training exports
#   into the same network written in PyTorch and compares the logits.
# A no-op when everything is present; as root it runs apt-get directly, otherwise through sudo.
set -euo pipefail
missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
/usr/bin/python3 -c "import torch" >/dev/null 2>&1 || missing+=(python3-torch)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
