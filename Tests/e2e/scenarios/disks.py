# e2e scenarios: disks and filesystems — partition tables, ISO and UDF discs, hotplug, images
# listed on the host, every layout at once, SATA/USB/NVMe, slow and changing disks, ESP, XFS, btrfs.

from harness import *  # noqa: F401,F403 — the harness: Run, Machine, Failure, helpers, @scenario


@scenario
def mbr_vfat(t):
    """grub.cfg in /grub of an MBR disk's first partition (vfat); paths relative to that partition."""
    cfg = grub_cfg(2, 1, ["/vmlinuz"] * 3, boot="", extra=SERIAL)
    disk = t.disk("vfat", "mbr", {"grub/grub.cfg": cfg, **boot_files(t.env, boot="")})
    t.boot(disks=[disk])
    t.expect_target(["e2e.entry=2"])


@scenario
def gpt_ext4(t):
    """grub.cfg on the ext4 first partition of a GPT disk."""
    cfg = grub_cfg(1, 1, ["/boot/vmlinuz"] * 2, extra=SERIAL)
    disk = t.disk("ext4", "gpt", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    t.boot(disks=[disk])
    t.expect_target(["e2e.entry=1"])


@scenario
def iso_cdrom(t):
    """An ISO 9660 image on a virtio-scsi CD-ROM."""
    cfg = grub_cfg(0, 1, ["/boot/vmlinuz"] * 2, extra=SERIAL)
    iso = t.disk("iso9660", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    t.boot(cdroms=[iso])
    t.expect_target(["e2e.entry=0"])


@scenario
def isolinux_cdrom(t):
    """An install-media ISO whose only config is isolinux/isolinux.cfg, its menus INCLUDEd:
    the countdown boots the default label, inside a submenu, with INITRD and APPEND."""
    isolinux = "\n".join([
        "UI menu.c32", "PROMPT 0", "TIMEOUT 10", "DEFAULT rescue", "INCLUDE menu.cfg", ""])
    menu = "\n".join([
        "MENU TITLE E2E install", "",
        "LABEL install", "  MENU LABEL ^Install", "  KERNEL /boot/vmlinuz",
        f"  APPEND initrd=/boot/target.img e2e.entry=0 {SERIAL}", "",
        "MENU BEGIN advanced", "  MENU LABEL ^Advanced options",
        "  LABEL rescue", "    MENU LABEL ^Rescue mode", "    KERNEL /boot/vmlinuz",
        "    INITRD /boot/target.img", f"    APPEND e2e.entry=1 e2e.rescue {SERIAL}",
        "MENU END", ""])
    iso = t.disk("iso9660", "none", {"isolinux/isolinux.cfg": isolinux, "isolinux/menu.cfg": menu,
                                     **boot_files(t.env)})
    t.boot(cdroms=[iso])
    t.expect_target(["e2e.entry=1", "e2e.rescue"])


@scenario
def hotplug_disk(t):
    """No disk at start: the menu says so. A SCSI disk hot-plugged through QEMU's monitor appears
    in the open menu (its driver loaded from the uevent's modalias); unplugged, its entries go;
    plugged in again, they come back and boot."""
    cfg = grub_cfg(0, 30, ["/boot/vmlinuz"] * 2, extra=SERIAL)
    disk = t.disk("ext4", "gpt", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    path = t.dir / "monitor.sock"
    m = t.boot(monitor=path, scsi=True)
    m.expect_words("No bootable entries were found", t.deadline)
    said = monitor_command(path, f"drive_add 0 if=none,id=hot0,file={disk},format=raw",
                           "device_add scsi-hd,drive=hot0,bus=scsi0.0,id=hotdisk")
    # The monitor echoes each keystroke with cursor moves: keep only its answers.
    answers = [line for line in readable(said.encode()).splitlines() if line and not line.startswith("(qemu)")]
    m.note(f"monitor said: {' | '.join(answers[-4:])}")
    m.expect_words(TITLES[1], t.deadline)
    m.expect_words("in 30 s", t.deadline)  # entries that came late get the countdown
    m.keys((b" ", "space"))  # stop the countdown
    since = m.mark()
    said = monitor_command(path, "device_del hotdisk")
    m.note(f"monitor said: {readable(said.encode())[-300:]}")
    m.expect_words("No bootable entries were found", t.deadline, since)
    since = m.mark()
    monitor_command(path, f"drive_add 0 if=none,id=hot1,file={disk},format=raw",
                    "device_add scsi-hd,drive=hot1,bus=scsi0.0,id=hotdisk1")
    m.expect_words(TITLES[1], t.deadline, since)
    m.keys((DOWN, "Down"), (ENTER, "Enter"))
    t.expect_target(["e2e.entry=1"])


@scenario
def image_list_matches(t):
    """`baton list --image` on the host reads a GPT disk image (vfat ESP whose grub.cfg finds the
    ext4 partition by `search --fs-uuid`; the ext4 partition's own grub.cfg with a submenu and two
    initrds) without mounting it, and lists the same entries the PID 1 finds in QEMU on the same
    disk; the default entry then boots."""
    uuid = "0d3c2b1a-4f5e-4a6b-8c7d-9e8f7a6b5c4d"
    esp_cfg = "\n".join([
        "set timeout=2", f"search --no-floppy --fs-uuid --set=root {uuid}",
        "menuentry 'Debian from the ESP' --id esp {", f"    linux /vmlinuz e2e.entry=0 e2e.esp {SERIAL}",
        "    initrd /target.img", "}", ""])
    boot_cfg = "\n".join([
        "set default='1>0'", "function entry {", "  menuentry \"Kernel $1\" \"$1\" {",
        "    linux /vmlinuz e2e.entry=$2 root=UUID=" + uuid + " ro", "    initrd /ucode.img /target.img", "  }", "}",
        "entry one", "submenu 'Advanced options' { entry two; entry three }", ""])
    esp = t.disk("vfat", "none", {"EFI/debian/grub.cfg": esp_cfg}, label="ESP")
    boot = t.disk("ext4", "none", {"boot/grub/grub.cfg": boot_cfg, "ucode.img": "microcode", **boot_files(t.env, boot="")},
                  label="boot", uuid=uuid)
    disk = t.partitioned([(esp, "U"), (boot, "L")])
    host = baton_list(t, "--as", "vda", disk)
    m = t.boot(disks=[disk], append="baton.list")
    guest = entries_printed(m, t.deadline)
    m.note(f"host listed {len(host)} entries, the PID 1 {len(guest)}")
    if host != guest:
        raise Failure(f"host and PID 1 differ:\nhost:  {host}\nguest: {guest}")
    if len(host) != 4 or [e["title"] for e in host if e["default"]] != ["Debian from the ESP"]:
        raise Failure(f"unexpected entries: {host}")
    t.expect_target(["e2e.entry=0", "e2e.esp"])


# The layouts scenarios: an entry on each kind of disk, its hotkey, and the device it must be on.
LAYOUTS = {"ext2": ("x", "vdb"), "ext3": ("t", "vdc1"), "hybrid-iso": ("y", "vda"), "udf": ("u", "sr0")}


def layouts(t, boot):
    """Disks of every other kind at once: a hybrid ISO image on a disk (its MBR partitions hold the
    same ISO filesystem and an ESP; the kernel mounts the disk or its partitions, not both: the
    disk is read, its entry shows once, and `baton list` on the image agrees), ext2 without a
    table, ext3 in an MBR partition, a UDF disc, and disks Baton must leave alone with a reason —
    swap, LUKS, an LVM physical volume, an md RAID member. Every entry is listed once, on its
    device; one boots."""
    def files(name):
        return {"boot/grub/grub.cfg": entry_cfg(f"Entry on {name}", name, hotkey=LAYOUTS[name][0]), **boot_files(t.env)}
    disks = [t.disk("iso9660", "mbr", files("hybrid-iso"), label="HYBRID"), t.disk("ext2", "none", files("ext2"), label="EXT2"),
             t.disk("ext3", "mbr", files("ext3"), label="EXT3")]
    disks += [t.volume(kind) for kind in ("swap", "luks", "lvm", "raid")]
    m = t.boot(disks=disks, cdroms=[t.disk("udf", "none", files("udf"), label="UDF")], append="baton.list")
    printed = entries_printed(m, t.deadline)
    listed = {e["title"]: e["device"] for e in printed}
    expected = {f"Entry on {name}": device for name, (_, device) in LAYOUTS.items()}
    if listed != expected or len(printed) != len(expected):
        raise Failure(f"entries and devices {listed}, expected {expected} (each once)")
    host = baton_list(t, "--as", "vda", disks[0])
    # Alone, the image's entry is the default; in the machine, the CD's is (it sorts first).
    same = [{**e, "default": None} for e in printed if e["device"] == "vda"]
    if [{**e, "default": None} for e in host] != same:
        raise Failure(f"baton list on the hybrid image says {host}")
    text = m.text()
    for line in ["vdd: skipped: swap space", "vde: skipped: encrypted volume (crypto_LUKS)",
                 "vdf: skipped: LVM physical volume", "vdg: skipped: RAID member (linux_raid_member)",
                 "vda1: skipped: vda holds a filesystem itself (iso9660", "vda2: skipped: vda holds a filesystem itself"]:
        if line not in text:
            raise Failure(f"the log lacks {line!r}")
    m.keys((LAYOUTS[boot][0].encode(), f"{LAYOUTS[boot][0]}, the hotkey of the entry on {boot}"))
    t.expect_target([f"e2e.entry={boot}"])


for _name in LAYOUTS:
    def _run(t, boot=_name):
        layouts(t, boot)
    _run.__doc__ = f"Boots the {_name} entry of: " + (layouts.__doc__ or "")
    SCENARIOS[f"layouts-{_name}"] = _run


@scenario
def sata_usb_f2fs(t):
    """On Debian's generic kernel, disks on q35's AHCI controller and on USB (xHCI) are found, their
    drivers loaded from the devices' modaliases; the SATA disk holds f2fs (its driver loaded by
    filesystem type). Both disks' entries show, and the USB one boots."""
    kernel, initramfs = generic_kernel(t.env)
    sata_cfg = entry_cfg("Entry on SATA f2fs", "sata", timeout=30)
    usb_cfg = entry_cfg("Entry on USB", "usb", hotkey="u")
    sata = t.disk("f2fs", "gpt", {"boot/grub/grub.cfg": sata_cfg, **boot_files(t.env)}, label="SATAF2FS")
    usb = t.disk("vfat", "mbr", {"boot/grub/grub.cfg": usb_cfg, **boot_files(t.env)}, label="USBSTICK")
    m = t.boot(sata=[sata], usb=[usb], kernel=kernel, initramfs=initramfs)
    m.expect_words("Entry on SATA f2fs", t.deadline)
    m.expect_words("Entry on USB", t.deadline)
    m.keys((b"u", "u, the USB entry's hotkey"))
    t.expect_target(["e2e.entry=usb"])


@scenario
def slow_disk(t):
    """A disk QEMU serves at 20 kB/s does not hold the menu: the menu shows the fast disk's
    entries without it. Once the limit is lifted (QEMU's monitor), the slow disk's entry appears
    in the open menu, first (the slow disk is vda) — and the countdown still boots the fast disk's
    default, which the late disk's configuration does not take over."""
    fast = t.disk("ext4", "none", {"boot/grub/grub.cfg": grub_cfg(1, 12, ["/boot/vmlinuz"] * 2, extra=SERIAL),
                                   **boot_files(t.env)})
    slow_cfg = entry_cfg("Entry on the slow disk", "slow", hotkey="s")
    slow = t.disk("ext4", "none", {"boot/grub/grub.cfg": slow_cfg, **boot_files(t.env)}, label="SLOW")
    path = t.dir / "monitor.sock"
    m = t.boot(disks=[fast], slow=[slow], monitor=path)
    m.expect_words(TITLES[1], t.deadline)
    if "slow" in m.text():
        raise Failure("the slow disk's entry was there at once: the disk was not slow")
    said = monitor_command(path, "block_set_io_throttle slow0 0 0 0 0 0 0")
    m.note(f"monitor said: {readable(said.encode()).splitlines()[-1:]}")
    m.expect_words("Entry on the slow disk", t.deadline)
    if re.search(r'Booting "[^"]*"\.\.\.', m.text().split("Entry on the slow disk")[0]):
        raise Failure("the countdown ended before the slow disk's entry came: nothing was tested")
    t.expect_target(["e2e.entry=1"])


@scenario
def disk_changes_while_examined(t):
    """A disk that changes (QEMU's monitor resizes it: a "change" uevent) while its slow first
    examination still runs is examined again once that one ends — never by two jobs at once,
    which raced for its mount point and left it unmounted — and its entry boots."""
    fast = t.disk("ext4", "none", {"boot/grub/grub.cfg": grub_cfg(0, 30, ["/boot/vmlinuz"] * 2, extra=SERIAL),
                                   **boot_files(t.env)})
    slow_cfg = entry_cfg("Entry on the changed disk", "changed", hotkey="s")
    slow = t.overlay(t.disk("ext4", "none", {"boot/grub/grub.cfg": slow_cfg, **boot_files(t.env)}, label="CHANGED"))
    path = t.dir / "monitor.sock"
    # baton.debug and loglevel=7: Baton's log lines reach the serial line while the menu shows.
    m = t.boot(disks=[fast], slow=[slow], monitor=path, append="baton.debug loglevel=7")
    m.expect_words(TITLES[1], t.deadline)
    m.keys((b" ", "space"))  # stop the countdown
    if "changed disk" in m.text():
        raise Failure("the slow disk's entry was there at once: the disk was not slow")
    said = readable(monitor_command(path, "block_resize slow0 256M").encode())
    m.note(f"monitor said: {said.splitlines()[-2:]}")
    if "rror" in said:
        raise Failure(f"QEMU did not resize the disk: {said.splitlines()[-2:]}")
    # The first examination still waits on the disk.
    m.expect(re.compile(r"baton: vda: change"), t.deadline, "the guest's change event")
    monitor_command(path, "block_set_io_throttle slow0 0 0 0 0 0 0")
    m.expect(re.compile(r"baton: vda: changed while it was examined; examining it again"), t.deadline,
             "the first examination to end and the second to start")
    m.expect_words("Entry on the changed disk", t.deadline)
    m.keys((b"s", "s, the entry's hotkey"))
    t.expect_target(["e2e.entry=changed"])


@scenario
def esp_and_boot(t):
    """An EFI system partition (vfat, GPT) whose EFI/debian/grub.cfg finds the kernel on another
    disk's ext4 by `search --fs-uuid`; that disk's journal is unclean and must stay untouched."""
    uuid = "6b2a1f4e-0c3d-4e5f-9a8b-7c6d5e4f3a2b"
    cfg = "\n".join([
        "set timeout=1", f"search --no-floppy --fs-uuid --set=root {uuid}",
        "menuentry 'Debian from /boot' {", f"    linux /vmlinuz e2e.entry=0 e2e.esp {SERIAL}",
        "    initrd /target.img", "}", ""])
    esp = t.disk("vfat", "gpt", {"EFI/debian/grub.cfg": cfg}, label="ESP")
    boot = t.disk("ext4", "none", boot_files(t.env, boot=""), label="boot", uuid=uuid, dirty_journal=True)
    t.boot(disks=[esp, boot])
    t.expect_target(["e2e.entry=0", "e2e.esp"])


@scenario
def xfs_and_btrfs(t):
    """An XFS whole disk and a btrfs partition at once: both drivers load on demand by filesystem
    type, both mount without log replay, the btrfs one has Ubuntu's `/@/boot` layout, and its
    entry boots."""
    def cfg(fs, timeout, boot="/boot"):
        return "\n".join([f"set timeout={timeout}", f"menuentry 'On {fs}' {{",
                          f"    linux {boot}/vmlinuz e2e.entry=0 e2e.fs={fs} {SERIAL}", f"    initrd {boot}/target.img", "}", ""])
    xfs = t.disk("xfs", "none", {"boot/grub/grub.cfg": cfg("xfs", 30), **boot_files(t.env)})
    # Ubuntu's btrfs layout: the system in an `@` folder (a subvolume there), seen from the top.
    btrfs = t.disk("btrfs", "gpt", {"@/boot/grub/grub.cfg": cfg("btrfs", 30, boot="/@/boot"), **boot_files(t.env, boot="@/boot")})
    m = t.boot(disks=[xfs, btrfs])
    m.expect_words("On btrfs", t.deadline)
    m.keys((b" ", "space"), (DOWN, "Down"), (ENTER, "Enter"))
    t.expect_target(["e2e.fs=btrfs"])


@scenario
def nvme_and_logical(t):
    """An NVMe drive and a virtio disk whose filesystem is in a logical partition (inside an
    extended one) are both found; the entry on the logical partition boots."""
    def cfg(where):
        return entry_cfg(f"On {where}", f"0 e2e.on={where}", timeout=30)
    nvme = t.disk("ext4", "gpt", {"boot/grub/grub.cfg": cfg("nvme"), **boot_files(t.env)})
    logical = t.disk("ext4", "mbr-logical", {"boot/grub/grub.cfg": cfg("logical"), **boot_files(t.env)})
    m = t.boot(disks=[logical], nvme=[nvme])
    m.expect_words("On nvme", t.deadline)
    m.expect_words("On logical", t.deadline)
    # nvme0n1p1 sorts before vda5: the logical partition's entry is the second.
    m.keys((b" ", "space"), (DOWN, "Down"), (ENTER, "Enter"))
    t.expect_target(["e2e.on=logical"])
