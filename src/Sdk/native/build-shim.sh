#!/bin/sh
# Builds TorchEnv's libstdc++ compatibility shim (see torchenv_stdcxx_compat.cpp for why it exists).
#
# Usage:   build-shim.sh OUTPUT_DIR
# Env:     CXX  C++ compiler to use (default: g++). Run it on the oldest toolchain you can: the shim's own version
#              needs must not exceed what Debian 12 / Ubuntu 22.04 provide (with GCC 12 it needs only GLIBC_2.2.5 and
#              GLIBCXX_3.4).
# Output:  OUTPUT_DIR/libtorchenv_stdcxx_compat.so, and its path on stdout.
#
# -static-libgcc keeps libgcc_s out of its needs; -fvisibility=hidden exports only std::ios_base_library_init();
# the soname is the file name, which is what the patched library's DT_NEEDED names.
set -eu

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUTPUT_DIR" >&2
    exit 2
fi

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
out_dir=$1
name=libtorchenv_stdcxx_compat.so
mkdir -p "$out_dir"
tmp="$out_dir/.$name.$$.tmp"
trap 'rm -f "$tmp"' EXIT

"${CXX:-g++}" -shared -fPIC -O2 -std=c++11 \
    -fvisibility=hidden -static-libgcc \
    -Wl,-soname,"$name" -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now -Wl,--as-needed \
    -o "$tmp" "$here/torchenv_stdcxx_compat.cpp"

# Rename into place so a concurrent reader never sees a half-written library.
mv -f "$tmp" "$out_dir/$name"
trap - EXIT
echo "$out_dir/$name"
