/* A relocatable ELF object with a .modinfo section, as the kernel's
 * MODULE_VERSION() and MODULE_LICENSE() leave in every module file: what
 * doctor reads of the module that [host] unload loads again
 * (tests/cli/doctor.sh).  Built by the compiler that builds the project,
 * so the section headers are a real toolchain's, not a hand-made file. */
__attribute__((section(".modinfo"), used, aligned(1))) static const char license[] = "license=NVIDIA";
__attribute__((section(".modinfo"), used, aligned(1))) static const char version[] = "version=550.54.14";
__attribute__((section(".modinfo"), used, aligned(1))) static const char srcversion[] =
    "srcversion=0123456789ABCDEF0123456";
