#!/usr/bin/env bash
# Installs what TorchEnv's build needs beyond the .NET SDK: g++ (builds the libstdc++ compatibility shim packed into
# TorchEnv.Sdk). Debian/Ubuntu only; a no-op when everything is present.
set -euo pipefail
missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
