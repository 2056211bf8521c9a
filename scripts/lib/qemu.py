#!/usr/bin/python3
# The one place that knows how Baton's test machine is started in QEMU; importable, or a command that execs QEMU.
"""Usage: qemu.py --kernel VMLINUZ --initrd INITRD [--append ARGS] [--disk IMG]... [--cdrom ISO]...
                 [--serial SPEC] [--print] [-- EXTRA_QEMU_ARGS...]

--append is added after "console=ttyS0,115200". --serial defaults to "stdio" ("mon:stdio" lets
Ctrl-A X quit). --print shows the command instead of running it. The machine uses TCG unless
BATON_KVM=1 asks for KVM and the CPU has vmx or svm and /dev/kvm exists.
"""
import os
import shlex
import sys

CONSOLE = "console=ttyS0,115200"


def use_kvm():
    if os.environ.get("BATON_KVM") != "1" or not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    try:
        with open("/proc/cpuinfo") as f:
            flags = {w for line in f if line.startswith("flags") for w in line.split()}
    except OSError:
        return False
    return bool(flags & {"vmx", "svm"})


OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"  # Debian's ovmf: Secure Boot capable, no SMM needed
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"  # an empty variable store (no keys, Secure Boot off)


def command(kernel, initrd, append="", disks=(), cdroms=(), serial="stdio", memory=512, extra=(), virtconsole=None,
            monitor=None, scsi=False, nvme=(), slow=(), sata=(), usb=(), serial1=None, trickle=(), uefi_vars=None):
    """The qemu-system-x86_64 argument list for one test machine. KERNEL None starts no kernel
    (the firmware finds one on the disks), INITRD None passes none, APPEND None passes no command
    line (a LinuxBoot payload has its own); UEFI_VARS, a writable copy of a variable store, runs
    OVMF instead of SeaBIOS."""
    accel = ["-accel", "kvm", "-cpu", "host"] if use_kvm() else ["-accel", "tcg", "-cpu", "max"]
    args = ["qemu-system-x86_64", "-machine", "q35", *accel, "-smp", "1", "-m", str(memory),
            "-nodefaults", "-display", "none", "-no-reboot"]
    if uefi_vars:
        args += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                 "-drive", f"if=pflash,format=raw,unit=1,file={uefi_vars}"]
    if kernel:
        args += ["-kernel", kernel]
    if initrd:
        args += ["-initrd", initrd]
    if append is not None:
        args += ["-append", f"{CONSOLE} {append}".strip()]
    args += ["-serial", serial]
    if serial1:
        # A second serial port, ttyS1, written to a file (servers often have their console there).
        args += ["-serial", f"file:{serial1}"]
    for disk in disks:
        args += ["-drive", f"file={disk},format=raw,if=virtio"]
    for i, disk in enumerate(slow):
        # A disk QEMU serves at 20 kB/s (drive id slowN; the monitor's block_set_io_throttle
        # can lift the limit). A .qcow2 file is an overlay the monitor may resize.
        kind = "qcow2" if str(disk).endswith(".qcow2") else "raw"
        args += ["-drive", f"if=none,id=slow{i},file={disk},format={kind},throttling.bps-total=20000",
                 "-device", f"virtio-blk-pci,drive=slow{i}"]
    for i, disk in enumerate(trickle):
        # A disk QEMU serves at 2 kB/s: its probe alone takes longer than Baton waits for it.
        args += ["-drive", f"if=none,id=trickle{i},file={disk},format=raw,throttling.bps-total=2000",
                 "-device", f"virtio-blk-pci,drive=trickle{i}"]
    def attach(drive_id, disk, device):
        """A raw image as a drive with no interface of its own, and the device that holds it."""
        return ["-drive", f"if=none,id={drive_id},file={disk},format=raw", "-device", f"{device},drive={drive_id}"]

    for i, disk in enumerate(sata):
        # q35's own AHCI controller (ich9-ahci) has six ports, ide.0 to ide.5.
        args += attach(f"sata{i}", disk, f"ide-hd,bus=ide.{i}")
    if usb:
        args += ["-device", "qemu-xhci,id=xhci"]
    for i, disk in enumerate(usb):
        args += attach(f"usb{i}", disk, "usb-storage,bus=xhci.0")
    for i, disk in enumerate(nvme):
        args += attach(f"nvme{i}", disk, f"nvme,serial=baton{i}")
    if cdroms or scsi:
        args += ["-device", "virtio-scsi-pci,id=scsi0"]
        for i, iso in enumerate(cdroms):
            args += ["-drive", f"if=none,id=cd{i},file={iso},format=raw,media=cdrom,readonly=on",
                     "-device", f"scsi-cd,bus=scsi0.0,drive=cd{i}"]
    if monitor:
        # QEMU's monitor on a unix socket, for hot-plugging disks (drive_add, device_add).
        args += ["-monitor", f"unix:{monitor},server=on,wait=off"]
    if virtconsole:
        # A second console, hvc0, on a unix socket the caller connects to.
        args += ["-device", "virtio-serial-pci",
                 "-chardev", f"socket,id=hvc0,path={virtconsole},server=on,wait=off",
                 "-device", "virtconsole,chardev=hvc0"]
    return args + list(extra)


def main(argv):
    opts = {"kernel": None, "initrd": None, "append": "", "serial": "stdio"}
    disks, cdroms, extra, show = [], [], [], False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            extra = argv[i + 1:]
            break
        if a == "--print":
            show = True
        elif a in ("--disk", "--cdrom") and i + 1 < len(argv):
            (disks if a == "--disk" else cdroms).append(argv[i + 1])
            i += 1
        elif a.startswith("--") and a[2:] in opts and i + 1 < len(argv):
            opts[a[2:]] = argv[i + 1]
            i += 1
        else:
            sys.exit(__doc__)
        i += 1
    if not opts["kernel"] or not opts["initrd"]:
        sys.exit(__doc__)
    args = command(opts["kernel"], opts["initrd"], opts["append"], disks, cdroms, opts["serial"],
                   extra=extra)
    if show:
        print(shlex.join(args))
    else:
        os.execvp(args[0], args)


if __name__ == "__main__":
    main(sys.argv[1:])
