// libtorchenv_stdcxx_compat.so — TorchEnv's libstdc++ compatibility shim.
//
// Why it exists: GCC 13 moved the construction of std::cout & co. into libstdc++.so itself and made every translation
// unit that includes <iostream> reference std::ios_base_library_init(), a marker exported only as GLIBCXX_3.4.32.
// A library built with GCC 13 (TorchSharp 0.107.0's libLibTorchSharp.so) therefore needs GLIBCXX_3.4.32 for that one
// symbol and refuses to load on the libstdc++ of GCC 12 (Debian 12, Ubuntu 22.04: GLIBCXX_3.4.30), although it uses
// nothing else of the newer library.
//
// TorchEnv's compatibility step (TorchEnv.Core.Native.LibStdCxxCompatPatcher) writes a copy of such a library whose
// GLIBCXX_3.4.32 need is weak and whose reference to the marker is unversioned, and which lists this shim as DT_NEEDED.
// The shim gives the copy what GCC 13's libstdc++ would have given it:
//   - the marker symbol, so the reference resolves;
//   - a static std::ios_base::Init, so the standard streams are constructed before the copy's own constructors run
//     (the loader runs a library's dependencies' constructors first). std::ios_base::Init is reference-counted, so on a
//     host whose libstdc++ does initialise the streams itself this is harmless.
//
// Build: src/Sdk/native/build-shim.sh (keeps the shim's own needs old: GLIBC 2.2.5, GLIBCXX 3.4, no libgcc_s).

#include <ios>

namespace std
{
// Declared here because no libstdc++ header declares it; GCC 13's libstdc++ defines it as an empty function too.
__attribute__((visibility("default"))) void ios_base_library_init();

void ios_base_library_init()
{
}
}

namespace
{
// Constructed when the shim is loaded, i.e. before any library that needs the shim runs its own constructors.
std::ios_base::Init torchenv_stdcxx_compat_ios_init;
}
