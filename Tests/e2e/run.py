#!/usr/bin/python3
# End-to-end tests: boots Baton's initramfs in QEMU against test disks, types at its menu, and checks what it kexecs.
"""Usage: Tests/e2e/run.py [--jobs N] [--timeout SECONDS] [--keep] [--list] [SCENARIO...]

Each scenario builds a disk whose grub.cfg boots the test kernel with the target initrd
(scripts/target-initrd), boots Baton's initramfs (env BATON_INITRAMFS, else scripts/initramfs)
with that disk attached, talks to it over the serial line, and passes when the target prints
"BATON-TARGET-BOOTED cmdline=..." with the expected tokens and the disk is unchanged.
The linuxboot-* scenarios start Baton's LinuxBoot payload (env BATON_PAYLOAD, else
scripts/linuxboot builds it before any scenario runs) under OVMF or SeaBIOS instead.
Serial logs go to .build-out/e2e/<scenario>.log. Environment: BATON_KERNEL (a vmlinuz),
BATON_KVM=1 (use KVM where the CPU has it).
"""

import importlib
import sys

sys.dont_write_bytecode = True
import harness  # noqa: E402

# Scenario files by area, in the order their scenarios run.
AREAS = ("menu", "disks", "distros", "hostile", "linuxboot", "network")

if __name__ == "__main__":
    for area in AREAS:
        importlib.import_module(f"scenarios.{area}")
    sys.exit(harness.main(__doc__))
