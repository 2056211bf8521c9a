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
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True  # no __pycache__ in scripts/lib
sys.path.insert(0, str(REPO / "scripts" / "lib"))
import qemu  # noqa: E402

HOST_CMDLINE = "quiet panic=-1"  # qemu.py puts console=ttyS0,115200 first
MARKER = re.compile(r"BATON-TARGET-BOOTED cmdline=([^\n]*)\n")  # a whole line: it may still be arriving
# CSI and OSC sequences, charset selection and the other two-byte escapes that curses sends.
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()*+][0-9A-Za-z]|[0-~])")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline, CR included
CURSOR_QUERY = b"\x1b[6n"
CURSOR_REPLY = b"\x1b[24;80R"  # what an 80x24 terminal answers when the cursor is parked far down-right
DOWN, ENTER = b"\x1b[B", b"\r"
TITLES = ["E2E Alpha", "E2E Bravo", "E2E Charlie"]


class Failure(Exception):
    pass


def readable(raw: bytes) -> str:
    """The serial output as text, without terminal escapes or carriage returns."""
    text = ESCAPES.sub("", raw.decode("utf-8", "replace"))
    return CONTROLS.sub("", text)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def last_line(*cmd):
    """Runs one of the scripts whose contract is 'the last line of output is the path'."""
    try:
        out = subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.PIPE, text=True).stdout
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"e2e: {' '.join(cmd)} failed with status {e.returncode}")
    lines = out.strip().splitlines()
    if not lines:
        raise SystemExit(f"{' '.join(cmd)} printed nothing")
    return lines[-1]


RUNNING = set()  # machines to kill if the run is interrupted


# Printed with each result: seconds from QEMU start until Baton's menu, and until the target's marker.
MILESTONES = ("Baton boot menu", "BATON-TARGET-BOOTED")


class Fifo:
    """A named pipe to put on a test disk where a file should be."""


class Sparse:
    """A file of SIZE bytes of zeros, stored as a hole (on the host and in ext4)."""

    def __init__(self, size):
        self.size = size


class Symlink:
    """A symbolic link to put on a test disk."""

    def __init__(self, target):
        self.target = target


class Machine:
    """A QEMU process whose serial line is its stdin and stdout, logged to a file as it arrives."""

    def __init__(self, args, log_path):
        self.log = open(log_path, "wb")
        self.log.write(("### e2e: " + " ".join(args) + "\n").encode())
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.raw = bytearray()
        self.started = time.monotonic()
        self.seen = {}  # milestone text -> seconds after QEMU started, when it first appeared
        self.eof = False
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        RUNNING.add(self)

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            with self.cond:
                if not data:
                    self.eof = True
                    self.cond.notify_all()
                    return
                tail = bytes(self.raw[-len(CURSOR_QUERY):])
                self.raw += data
                for milestone in MILESTONES:
                    if milestone not in self.seen and milestone.encode() in self.raw[-(len(data) + 64):]:
                        self.seen[milestone] = time.monotonic() - self.started
                self.log.write(data)
                self.log.flush()
                self.cond.notify_all()
            # Only a query that ends in the new data: one already answered stays in `tail`.
            if CURSOR_QUERY in tail[1:] + data:
                self.send(CURSOR_REPLY, "cursor position reply")

    def keys(self, *keys):
        """Sends (bytes, name) keys one by one, half a second apart, as a person types."""
        for key, what in keys:
            time.sleep(0.5)
            self.send(key, what)

    def note(self, text):
        with self.cond:
            self.log.write(f"\n### e2e: {text}\n".encode())
            self.log.flush()

    def mark(self):
        """Where the output is now, for expect(..., since=) to look only at what comes after."""
        with self.cond:
            return len(self.raw)

    def expect(self, pattern, deadline, what, since=0):
        """Waits until the readable output (from byte SINCE on) matches PATTERN (a compiled
        regex); returns the match."""
        self.note(f"waiting for {what}")
        with self.cond:
            while True:
                m = pattern.search(readable(bytes(self.raw[since:])))
                if m:
                    return m
                if self.eof:
                    raise Failure(f"QEMU exited (status {self.proc.wait()}) before {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"timed out waiting for {what}")
                self.cond.wait(min(left, 1.0))

    def expect_words(self, words, deadline, since=0):
        """Waits for WORDS on screen, allowing line breaks or cursor moves where spaces were."""
        pattern = re.compile(r"\s*".join(re.escape(w) for w in words.split()))
        return self.expect(pattern, deadline, repr(words), since)

    def text(self):
        """Everything the serial line showed so far, readable."""
        with self.cond:
            return readable(bytes(self.raw))

    def send(self, data, what):
        self.note(f"sending {what}")
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def close(self, grace):
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.note("stopping QEMU")
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)
        RUNNING.discard(self)
        with self.cond:
            self.log.close()


class Run:
    """One scenario's run: its disks, its machine, its deadline and its log."""

    def __init__(self, name, env, timeout):
        self.name, self.env = name, env
        self.deadline = time.monotonic() + timeout
        self.dir = Path(env["tmp"]) / name
        self.dir.mkdir()
        self.log_path = Path(env["logs"]) / f"{name}.log"
        self.images = {}
        self.overlays = {}
        self.machine = None

    def disk(self, fs, table, files, label="E2E", uuid=None, dirty_journal=False, corrupt=False):
        """Builds an image holding FILES ({path: text or Path}); returns its path."""
        src = self.dir / f"src{len(self.images)}"
        for rel, content in files.items():
            dest = src / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Symlink):
                os.symlink(content.target, dest)
            elif isinstance(content, Fifo):
                os.mkfifo(dest)
            elif isinstance(content, Sparse):
                with open(dest, "wb") as f:
                    f.truncate(content.size)
            elif isinstance(content, Path):
                shutil.copyfile(content, dest)
            else:
                dest.write_text(content)
        out = self.dir / f"disk{len(self.images)}.{'iso' if fs in ('iso9660', 'udf') else 'img'}"
        extra = (["--uuid", uuid] if uuid else []) + (["--dirty-journal"] if dirty_journal else [])
        subprocess.run([REPO / "scripts/disk", "--fs", fs, "--table", table, "--label", label, *extra,
                        src, out], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if corrupt:
            # Zero what follows the superblock (group descriptors, bitmaps): libblkid still sees
            # the filesystem, the kernel refuses to mount it.
            with open(out, "r+b") as f:
                f.seek(2048)
                f.write(bytes(256 * 1024))
        self.images[out] = sha256(out)
        return out

    def volume(self, kind):
        """A disk holding no filesystem Baton mounts: "swap", "luks" (LUKS2), "lvm" (an LVM
        physical volume's label) or "raid" (an md RAID1 member's 1.2 superblock)."""
        out = self.dir / f"disk{len(self.images)}-{kind}.img"
        with open(out, "wb") as f:
            f.truncate((24 if kind == "luks" else 8) << 20)  # LUKS2 keeps 16 MiB for its header
        if kind == "swap":
            subprocess.run(["mkswap", "-q", out], check=True)
        elif kind == "luks":
            subprocess.run(["cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2", "--pbkdf", "pbkdf2",
                            "--pbkdf-force-iterations", "1000", "--key-file", "-", out], input=b"e2e", check=True)
        else:
            header, offset = (lvm_label(8 << 20), 512) if kind == "lvm" else (raid_superblock(8 << 20), 4096)
            with open(out, "r+b") as f:
                f.seek(offset)
                f.write(header)
        self.images[out] = sha256(out)
        return out

    def partitioned(self, parts):
        """A GPT disk holding PARTS, filesystem images from disk(..., table="none"), each given as
        (image, sfdisk type), one after another from 1 MiB on."""
        out = self.dir / f"disk{len(self.images)}.img"
        mib = 1 << 20
        sizes = [(-(-image.stat().st_size // mib)) for image, _ in parts]
        with open(out, "wb") as f:
            f.truncate((sum(sizes) + 2) * mib)
        script = "label: gpt\n" + "".join(f"size={size}MiB, type={kind}\n" for size, (_, kind) in zip(sizes, parts))
        subprocess.run(["sfdisk", "--quiet", out], input=script.encode(), check=True, stdout=subprocess.DEVNULL)
        start = 1
        for size, (image, _) in zip(sizes, parts):
            subprocess.run(["dd", f"if={image}", f"of={out}", "bs=1M", f"seek={start}", "conv=notrunc", "status=none"],
                           check=True)
            start += size
        self.images[out] = sha256(out)
        return out

    def overlay(self, image):
        """A qcow2 overlay on IMAGE, for a disk QEMU may resize; IMAGE stays as it was, and at
        the end the overlay must read the same (a resize adds zeros only)."""
        out = image.with_suffix(".qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", image, "-F", "raw", out], check=True)
        self.overlays[out] = image
        return out

    def boot(self, disks=(), cdroms=(), append="", virtconsole=None, monitor=None, scsi=False, nvme=(), slow=(),
             sata=(), usb=(), kernel=None, initramfs=None, serial1=None, trickle=()):
        args = qemu.command(kernel or self.env["kernel"], initramfs or self.env["initramfs"],
                            f"{HOST_CMDLINE} {append}".strip(), disks=disks, cdroms=cdroms, virtconsole=virtconsole,
                            monitor=monitor, scsi=scsi, nvme=nvme, slow=slow, sata=sata, usb=usb, serial1=serial1,
                            trickle=trickle)
        self.machine = Machine(args, self.log_path)
        return self.machine

    def boot_payload(self, disks, uefi_vars=None):
        """Starts Baton's LinuxBoot payload (env "payload", scripts/linuxboot) as firmware would: with
        UEFI_VARS, OVMF finds it on the disks as \\EFI\\BOOT\\BOOTX64.EFI; without, SeaBIOS loads it
        with -kernel, as a coreboot payload is started. No command line but the payload's own."""
        args = qemu.command(None if uefi_vars else self.env["payload"], None, None, disks=disks, uefi_vars=uefi_vars)
        self.machine = Machine(args, self.log_path)
        return self.machine

    def expect_target(self, tokens):
        """Waits for the target's marker and checks that its command line has every token.
        A token also matches a word that continues it with ',' (console=ttyS0,115200)."""
        m = self.machine.expect(MARKER, self.deadline, "the target kernel's marker")
        words = m.group(1).split()
        missing = [t for t in tokens if not any(w == t or w.startswith(t + ",") for w in words)]
        if missing:
            raise Failure(f"target cmdline {m.group(1)!r} lacks {' '.join(missing)}")
        return words

    def finish(self, passed):
        if self.machine:
            # The target powers itself off after its marker; anything else is stopped at once.
            self.machine.close(grace=10 if passed else 0)
        for image, digest in self.images.items():
            if sha256(image) != digest:
                raise Failure(f"{image.name} changed: Baton wrote to a disk")
        for overlay, image in self.overlays.items():
            same = subprocess.run(["qemu-img", "compare", "-q", "-f", "qcow2", "-F", "raw", overlay, image])
            if same.returncode != 0:
                raise Failure(f"{overlay.name} differs from {image.name}: Baton wrote to a disk")


def lvm_label(size):
    """LVM2's label sector (the second of a physical volume), with the checksum libblkid checks."""
    label = bytearray(512)
    label[0:8] = b"LABELONE"
    struct.pack_into("<QII", label, 8, 1, 0, 32)  # this sector's number, checksum (below), header offset
    label[24:32] = b"LVM2 001"
    label[32:64] = b"E2eLvmPhysicalVolumeUuid00000000"  # the volume's UUID, 32 characters
    struct.pack_into("<Q", label, 64, size)
    # LVM's CRC-32 starts from 0xf597a6cf and has no final inversion; zlib's inverts both ends.
    crc = ~zlib.crc32(bytes(label[20:]), ~0xf597a6cf & 0xffffffff) & 0xffffffff
    struct.pack_into("<I", label, 16, crc)
    return bytes(label)


def raid_superblock(size):
    """An md 1.2 superblock (at 4 KiB) of a two-disk RAID1's first member, with its checksum."""
    sb = bytearray(256 + 2 * 2)  # the fixed part, then one 16-bit role per device (max_dev 2)
    sectors = (size >> 9) - 2048
    struct.pack_into("<II", sb, 0, 0xa92b4efc, 1)
    sb[16:32] = bytes(range(1, 17))                  # array UUID
    sb[32:37] = b"e2e:0"                             # array name
    struct.pack_into("<IIQ", sb, 72, 1, 0, sectors)  # level 1, layout, size
    struct.pack_into("<I", sb, 92, 2)                # raid disks
    struct.pack_into("<QQQ", sb, 128, 2048, sectors, 8)  # data offset, data size, superblock offset
    sb[168:184] = bytes(range(17, 33))               # this device's UUID
    struct.pack_into("<I", sb, 220, 2)               # max_dev
    struct.pack_into("<HH", sb, 256, 0, 1)
    total = sum(struct.unpack_from(f"<{len(sb) // 4}I", sb))
    struct.pack_into("<I", sb, 216, ((total & 0xffffffff) + (total >> 32)) & 0xffffffff)
    return bytes(sb)


def grub_cfg(default, timeout, kernels, boot="/boot", extra=""):
    """A grub.cfg with one entry per kernel path; entry N passes e2e.entry=N."""
    lines = [f"set default={default}", f"set timeout={timeout}", ""]
    for n, kernel in enumerate(kernels):
        lines += [f"menuentry '{TITLES[n]}' {{",
                  f"    linux {kernel} e2e.entry={n} panic=-1 {extra}".rstrip(),
                  f"    initrd {boot}/target.img",
                  "}", ""]
    return "\n".join(lines)


def entry_cfg(title, tag, hotkey=None, timeout=None):
    """A grub.cfg with one entry, TITLE, that boots the test kernel with e2e.entry=TAG on the
    serial console (and HOTKEY; TIMEOUT set first when given)."""
    head = [f"set timeout={timeout}"] if timeout is not None else []
    key = f" --hotkey={hotkey}" if hotkey else ""
    return "\n".join(head + [f"menuentry '{title}'{key} {{", f"    linux /boot/vmlinuz e2e.entry={tag} {SERIAL}",
                              "    initrd /boot/target.img", "}", ""])


def boot_files(env, boot="boot"):
    prefix = f"{boot}/" if boot else ""
    return {f"{prefix}vmlinuz": Path(env["kernel"]), f"{prefix}target.img": Path(env["target"])}


SERIAL = "console=ttyS0,115200"
SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__.replace("_", "-")] = fn
    return fn


@scenario
def timeout_default(t):
    """The countdown runs out and boots the default entry; Baton adds the console= it is using."""
    cfg = grub_cfg(1, 2, ["/boot/vmlinuz"] * 3)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    t.boot(disks=[disk])
    t.expect_target(["e2e.entry=1", "console=ttyS0"])


@scenario
def keys_select(t):
    """A key stops the countdown; Down and Enter boot the second entry."""
    cfg = grub_cfg(0, 30, ["/boot/vmlinuz"] * 3, extra=SERIAL)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    m = t.boot(disks=[disk])
    m.expect_words(TITLES[1], t.deadline)
    m.keys((b" ", "space"), (DOWN, "Down"), (ENTER, "Enter"))
    t.expect_target(["e2e.entry=1"])


@scenario
def missing_kernel(t):
    """The default entry's kernel is missing: the menu shows the error and still boots another entry."""
    cfg = grub_cfg(0, 1, ["/boot/nonexistent", "/boot/vmlinuz"], extra=SERIAL)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    m = t.boot(disks=[disk])
    m.expect_words("No such file or directory", t.deadline)
    m.keys((DOWN, "Down"), (ENTER, "Enter"))
    t.expect_target(["e2e.entry=1"])


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
def two_consoles(t):
    """The menu runs on ttyS0 and on a virtio console (hvc0) at once; a key on hvc0 takes control,
    ttyS0 says so, and the target kernel gets console=hvc0 — the console the user typed on."""
    cfg = grub_cfg(0, 30, ["/boot/vmlinuz"] * 2)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    path = t.dir / "hvc0.sock"
    m = t.boot(disks=[disk], append="console=hvc0", virtconsole=path)
    m.expect_words(TITLES[1], t.deadline)
    hvc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        hvc.connect(str(path))
        for key, what in ((b" ", "space"), (DOWN, "Down")):
            time.sleep(0.5)
            m.note(f"sending {what} on hvc0")
            hvc.sendall(key)
        m.expect_words("Menu in use on hvc0", t.deadline)
        time.sleep(0.5)
        m.note("sending Enter on hvc0")
        hvc.sendall(ENTER)
        t.expect_target(["e2e.entry=1", "console=hvc0"])
        marker = MARKER.search(readable(bytes(m.raw)))
        if marker and "console=ttyS0" in marker.group(1).split():
            raise Failure(f"target got ttyS0 too: {marker.group(1)!r}")
    finally:
        hvc.close()


def monitor_command(path, *commands):
    """Sends commands to QEMU's monitor on a unix socket, one at a time; returns what it said."""
    deadline = time.monotonic() + 10
    while not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    out = b""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(str(path))
        s.settimeout(2)
        for command in commands:
            s.sendall(command.encode() + b"\n")
            time.sleep(0.5)
            try:
                out += s.recv(65536)
            except socket.timeout:
                pass
    return out.decode(errors="replace")


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


def baton_list(t, *devices):
    """What `baton list --json DEVICES…` says on the host (an image or a directory per device)."""
    out = subprocess.run([t.env["binary"], "list", "--json", *devices], capture_output=True, text=True)
    if out.returncode != 0:
        raise Failure(f"baton list {' '.join(map(str, devices))} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def entries_printed(m, deadline):
    """The entries the PID 1 printed with `baton.list` (one JSON object each)."""
    count = int(m.expect(re.compile(r"baton-entries (\d+)"), deadline, "the list of entries").group(1))
    lines = re.findall(r"baton-entry (\{[^\n]*\})\r?\n", m.text())
    if len(lines) != count:
        raise Failure(f"baton-entries says {count}, {len(lines)} baton-entry lines came")
    return [json.loads(line) for line in lines]


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


CORPUS = REPO.parent / "shared" / "corpus"
# Real installs' boot trees from ../shared/corpus (u-root's test data, see its SOURCES.md).
DISTROS = {
    "centos-8-bls": "u-root/pkg/boot/grub/testdata_new/CentOS_8_Stream_x86_64_blscfg_sda1",
    "debian-10": "u-root/pkg/boot/grub/testdata_new/debian_10_4_installed",
    "ubuntu-16-04": "u-root/pkg/boot/grub/testdata_new/ubuntu_16_04_boot",
}


def distro(t, name):
    """A real install's boot tree, as its distribution wrote it (grub.cfg from grub-mkconfig; for
    CentOS 8, BLS entries with `kernelopts` and `saved_entry` from grubenv), on an ext4 disk with
    the install's UUID (its grub.cfg finds itself by `search --fs-uuid`); the files its entries
    name hold the test kernel and target initrd. `baton list` on the host, on the tree and on the
    disk image, and the PID 1 must list the same entries, and the configured default must boot at
    once (baton.timeout=0) with exactly its command line — plus console= when it names none. An
    entry whose console= is ttyS1 prints the target's marker there."""
    tree = CORPUS / DISTROS[name]
    if not tree.is_dir():
        raise Failure(f"{tree} is missing: the real configurations come from ../shared/corpus, beside the repository")
    uuid = (tree / "UUID").read_text().strip()
    files = {str(p.relative_to(tree)): p for p in tree.rglob("*") if p.is_file() and p.parent != tree}
    src = t.dir / "vda"  # a directory is listed as a device named after it
    for path, source in files.items():
        (src / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, src / path)
    defaults = [e for e in baton_list(t, "--uuid", uuid, src) if e["default"]]
    if len(defaults) != 1 or defaults[0]["device"] != "vda":
        raise Failure(f"no single default entry on the disk itself: {defaults}")
    default = defaults[0]
    files[default["kernel"].lstrip("/")] = Path(t.env["kernel"])
    for initrd in default["initrds"]:
        files[initrd.lstrip("/")] = Path(t.env["target"])
    disk = t.disk("ext4", "none", files, label=name, uuid=uuid)
    host = baton_list(t, "--as", "vda", disk)
    console = t.dir / "ttyS1.log"
    m = t.boot(disks=[disk], append="baton.list baton.timeout=0", serial1=console)
    guest = entries_printed(m, t.deadline)
    m.note(f"host listed {len(host)} entries, the PID 1 {len(guest)}; default {default['title']!r}")
    if host != guest:
        raise Failure(f"host and PID 1 differ:\nhost:  {host}\nguest: {guest}")
    expected = default["cmdline"].split()
    if not any(w.startswith("console=") for w in expected):
        expected.append("console=ttyS0,115200")
    last_console = [w for w in expected if w.startswith("console=")][-1]
    if last_console.startswith("console=ttyS1"):
        deadline = t.deadline
        while not MARKER.search(console.read_text(errors="replace") if console.exists() else ""):
            if time.monotonic() > deadline or m.eof:
                raise Failure("the target's marker never came on ttyS1")
            time.sleep(0.5)
        words = MARKER.search(console.read_text(errors="replace")).group(1).split()
    else:
        words = m.expect(MARKER, t.deadline, "the target kernel's marker").group(1).split()
    if words != expected:
        raise Failure(f"the target's command line is {' '.join(words)!r}, expected {' '.join(expected)!r}")


for _name in DISTROS:
    def _boot(t, name=_name):
        distro(t, name)
    _boot.__doc__ = f"{_name}: " + (distro.__doc__ or "")
    SCENARIOS[f"distro-{_name}"] = _boot


GENERIC = {"lock": threading.Lock()}


def generic_vmlinuz():
    """Debian's generic kernel (it has AHCI, USB storage and f2fs, which the cloud kernel lacks),
    fetched once by the first scenario asking."""
    with GENERIC["lock"]:
        if "vmlinuz" not in GENERIC:
            GENERIC["vmlinuz"] = subprocess.run(
                [REPO / "scripts/kernel"], env=dict(os.environ, BATON_KERNEL_PACKAGE="linux-image-amd64"),
                capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    return GENERIC["vmlinuz"]


def generic_kernel(env):
    """Debian's generic kernel and a Baton initramfs with its modules, built once."""
    kernel = generic_vmlinuz()
    with GENERIC["lock"]:
        if "kernel" not in GENERIC:
            out = Path(env["tmp"]) / "baton-initramfs-generic.cpio.gz"
            initramfs = subprocess.run([REPO / "scripts/initramfs", "--binary", env["binary"], "--kernel", kernel, "--out", out],
                                       capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
            GENERIC.update(kernel=kernel, initramfs=initramfs)
    return GENERIC["kernel"], GENERIC["initramfs"]


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
def edit_command_line(t):
    """e edits the chosen entry's command line over the serial line (End, typed text); Enter
    boots it once with the edit."""
    cfg = grub_cfg(0, 30, ["/boot/vmlinuz"] * 2, extra=SERIAL)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    m = t.boot(disks=[disk])
    m.expect_words(TITLES[1], t.deadline)
    m.keys((b" ", "space"), (DOWN, "Down"), (b"e", "e"))
    m.expect_words("Command line for", t.deadline)
    m.send(b"\x05", "Ctrl-E")  # to the end of the line (vt220 has no End key)
    m.send(b" e2e.edited=yes", "text")
    time.sleep(0.3)
    m.send(ENTER, "Enter")
    t.expect_target(["e2e.entry=1", "e2e.edited=yes"])


@scenario
def command_prompt(t):
    """c opens the command prompt; a kernel typed there by device and path boots."""
    cfg = grub_cfg(0, 30, ["/boot/vmlinuz"], extra=SERIAL)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    m = t.boot(disks=[disk])
    m.expect_words(TITLES[0], t.deadline)
    m.keys((b" ", "space"), (b"c", "c"))
    m.expect_words("Boot by hand", t.deadline)
    m.send(f"vda:/boot/vmlinuz initrd=vda:/boot/target.img e2e.typed=1 {SERIAL}".encode(), "typed kernel")
    time.sleep(0.3)
    m.send(ENTER, "Enter")
    t.expect_target(["e2e.typed=1"])


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


def strip_pe_signature(kernel, out):
    """Copies a signed bzImage without its Authenticode signature (the PE certificate table)."""
    data = bytearray(Path(kernel).read_bytes())
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    optional = pe + 24
    directory = optional + (112 if struct.unpack_from("<H", data, optional)[0] == 0x20B else 96) + 4 * 8
    offset, size = struct.unpack_from("<II", data, directory)
    if size == 0:
        raise Failure(f"{kernel} has no signature to strip")
    struct.pack_into("<II", data, directory, 0, 0)
    if offset + size == len(data):
        del data[offset:]
    Path(out).write_bytes(bytes(data))
    return Path(out)


@scenario
def oversized_configs(t):
    """Beside a good disk: a grub.cfg of 100 000 entries, one of 20 MiB, and one of binary
    garbage with NUL bytes, invalid UTF-8 and a 1 MiB line. The big one is cut at 10 000 entries, the huge
    one is not read, the garbage gives diagnostics. Evaluating 100 000 entries takes seconds under
    TCG: the menu comes up without waiting for that disk, its entries join later, and the good
    entry boots."""
    many = t.dir / "many.cfg"
    with open(many, "w") as f:
        for n in range(100_000):
            f.write(f"menuentry 'Many {n}' {{\n linux /boot/vmlinuz n={n}\n}}\n")
    huge = t.dir / "huge.cfg"
    with open(huge, "wb") as f:
        f.write(b"menuentry 'Oversized-Config-Entry' { linux /boot/vmlinuz }\n")
        f.write(b"#" * (20 << 20))
    garbage = t.dir / "garbage.cfg"
    garbage.write_bytes(bytes(range(256)) * 64 + b"menuentry '\xff\xfe\x00' { linux /\x00 }\n" + os.urandom(8192)
                        + b"\nmenuentry 'Long line' { linux /boot/vmlinuz " + b"A" * (1 << 20) + b" }\n")
    good = t.disk("ext4", "none", {"boot/grub/grub.cfg": grub_cfg(1, 2, ["/boot/vmlinuz"] * 2, extra=SERIAL), **boot_files(t.env)})
    disks = [good] + [t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg}) for cfg in (many, huge, garbage)]
    m = t.boot(disks=disks)
    m.expect_words("the menu does not wait for it", t.deadline)
    m.expect_words(TITLES[1], t.deadline)
    m.keys((b" ", "space"))  # stop the countdown: the big disk answers after it would run out
    m.expect_words("Many 0", t.deadline)  # (the cut at 10 000 is EntryLimitTests' to check)
    m.keys((ENTER, "Enter"))
    t.expect_target(["e2e.entry=1"])
    if "Oversized-Config-Entry" in readable(bytes(m.raw)):
        raise Failure("a config over the 16 MiB limit was read")


@scenario
def hostile_examinations(t):
    """Hostile disks all at once beside a good one, each examined in a child process of its own:
    the regexp lines that trapped the reader, a configuration that burns its work budget, one whose
    reader traps (baton.test-examine-trap names its entry), and a disk whose reads trickle at 2 kB/s
    past the 30 s an examination may take. The good disk's entries show within 2 s of a boot with
    the good disk alone (both measured here), every hostile disk has its line, the worker is never
    restarted, and the default boots."""
    good_files = {"boot/grub/grub.cfg": grub_cfg(1, 30, ["/boot/vmlinuz"] * 2, extra=SERIAL), **boot_files(t.env)}
    append = "baton.test-examine-trap=Crash-here baton.debug loglevel=7"
    # The worker's own time to its menu ("N entries after M ms"), in each boot.
    ready = re.compile(r"baton: (\d+) entries after (\d+) ms")
    alone = t.boot(disks=[t.disk("ext4", "none", good_files)], append=append)
    baseline = int(alone.expect(ready, t.deadline, "the menu of the good disk alone").group(2))
    alone.proc.kill()
    alone.proc.wait()
    good = t.disk("ext4", "none", good_files)
    traps = t.disk("ext4", "none", {"boot/grub/grub.cfg": "\n".join([
        "regexp --set -1:x a a", "regexp 'a{-1}' a", "regexp --set 99999999999999999999:y a a",
        "menuentry 'Survived the traps' { linux /boot/vmlinuz }", ""])}, label="TRAPS")
    ranges = "".join(f"[{chr(0x100 + i)}-{chr(0x9000 - i)}]" for i in range(190))
    burner = t.disk("ext4", "none", {"boot/grub/grub.cfg": "\n".join([
        f"for i in 1 2 3 4 5; do regexp '{ranges}' abc; done",
        "while true; do regexp '([a-z]{1,100})([a-z]{1,100})([a-z]{1,100})$' " + "a" * 9000 + "!; done",
        "menuentry 'Burnt its budget' { linux /boot/vmlinuz }", ""])}, label="BURNER")
    crasher = t.disk("ext4", "none", {"boot/grub/grub.cfg": "menuentry 'Crash-here' { linux /boot/vmlinuz }\n"}, label="CRASH")
    hung = t.disk("ext4", "none", {"boot/grub/grub.cfg": "menuentry 'From the hung disk' { linux /boot/vmlinuz }\n"}, label="HUNG")
    m = t.boot(disks=[good, traps, burner, crasher], trickle=[hung], append=append)
    with_hostile = int(m.expect(ready, t.deadline, "the menu beside hostile disks").group(2))
    m.expect_words(TITLES[1], t.deadline)
    m.note(f"worker to menu: {with_hostile} ms beside hostile disks, {baseline} ms alone")
    m.keys((b" ", "space"))  # stop the countdown: the hung disk's verdict takes 30 s
    m.expect(re.compile(r"vd[a-e]: its configuration could not be read \(the reader crashed: SIG\w+"), t.deadline,
             "the crashed reader's line")
    m.expect_words("Survived the traps", t.deadline)
    m.expect(re.compile(r"vd[a-e]: .*work limit reached"), t.deadline, "the burner's work limit")
    m.expect(re.compile(r"vd[a-e]: its configuration could not be read \(the reader ran past 30 s\); skipped"),
             t.deadline, "the hung disk's line")
    text = m.text()
    if "menu worker" in text:
        raise Failure("the menu worker was restarted")
    if re.search(r"\n\s*\d+\*?\s+(Crash-here|From the hung disk)", text):
        raise Failure("an entry of a skipped disk reached the menu")
    m.keys((ENTER, "Enter"))
    t.expect_target(["e2e.entry=1"])
    if with_hostile > baseline + 2000:
        raise Failure(f"the menu took {with_hostile} ms beside hostile disks, {baseline} ms alone")


@scenario
def lockdown_refuses_kexec(t):
    """Under lockdown=integrity the kernel refuses unsigned (and untrusted) kernels: each attempt
    names the entry and why, and the menu stays usable for the next one."""
    unsigned = strip_pe_signature(t.env["kernel"], t.dir / "unsigned")
    cfg = grub_cfg(0, 1, ["/boot/unsigned", "/boot/vmlinuz"], extra=SERIAL)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, "boot/unsigned": unsigned, **boot_files(t.env)})
    m = t.boot(disks=[disk], append="lockdown=integrity")
    m.expect_words(f'Cannot boot "{TITLES[0]}": the running kernel is locked down', t.deadline)
    m.keys((DOWN, "Down"), (ENTER, "Enter"))
    m.expect_words(f'Cannot boot "{TITLES[1]}":', t.deadline)
    m.keys((b"l", "l (log view)"))
    m.expect_words("boot failed:", t.deadline)


@scenario
def hostile_disks(t):
    """A disk whose kernel is a symlink to Baton's own /init and whose title holds a terminal
    escape sequence, beside a corrupt filesystem: the escape never reaches the terminal, the
    symlink cannot leave its disk, the corrupt disk is reported, and a good entry still boots.
    Entries whose kernel is a text file, an empty file, a FIFO or larger than memory (768 MiB on
    a 512 MiB machine) each say why they cannot boot."""
    evil_title = "Evil\x1b[2J\x1b]0;pwned\x07 title"
    bad = [("Text kernel", "/boot/text", "not a Linux kernel"), ("Empty kernel", "/boot/empty", "rejected the kernel"),
           ("Fifo kernel", "/boot/fifo", "not a regular file"), ("Huge kernel", "/boot/huge", "fit in memory")]
    entries = [(evil_title, "/boot/evil", 0), (TITLES[1], "/boot/vmlinuz", 1)] + [(title, path, n + 2) for n, (title, path, _) in enumerate(bad)]
    cfg = "\n".join(["set default=0", "set timeout=1"] + [
        line for title, kernel, n in entries
        for line in (f"menuentry '{title}' {{", f"    linux {kernel} e2e.entry={n} {SERIAL}", "    initrd /boot/target.img", "}")] + [""])
    files = {"boot/grub/grub.cfg": cfg, "boot/evil": Symlink("/init"), "boot/text": "echo this is no kernel\n" * 100,
             "boot/empty": "", "boot/fifo": Fifo(), "boot/huge": Sparse(768 << 20), **boot_files(t.env)}
    good = t.disk("ext4", "none", files)
    broken = t.disk("ext4", "none", {"boot/grub/grub.cfg": grub_cfg(0, 1, ["/boot/vmlinuz"])}, corrupt=True)
    m = t.boot(disks=[good, broken])
    m.expect_words("No such file or directory", t.deadline)  # the default's kernel resolves inside the disk only
    m.keys((DOWN, "Down"))
    for title, _, reason in bad:
        m.keys((DOWN, "Down"), (ENTER, "Enter"))
        # ncurses redraws only what changed on the status line: "Cannot boot" may already be there.
        m.expect_words(f'{title}":', t.deadline)
        m.expect_words(reason, t.deadline)
    m.keys(*[(b"\x1b[A", "Up")] * len(bad), (ENTER, "Enter"))
    t.expect_target(["e2e.entry=1"])
    raw = bytes(m.raw)
    if b"\x1b[2J" in raw or b"\x1b]0;" in raw:
        raise Failure("an escape sequence from a title reached the terminal")
    if b"vdb: ext4 not mounted" not in raw:
        raise Failure("the corrupt disk was not reported")


@scenario
def crash_recovery(t):
    """The menu worker dies (SIGABRT) four times in a row: PID 1 restarts it each time — in safe
    mode, with plain text, after the third — and the machine still boots. No kernel panic."""
    cfg = grub_cfg(0, 30, ["/boot/vmlinuz"] * 2, extra=SERIAL)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    m = t.boot(disks=[disk], append="baton.test-crash=4")
    m.expect_words("restarting in safe mode", t.deadline)
    boot_from_safe_mode(t, m, deaths=4, signal=6)


def boot_from_safe_mode(t, m, deaths, signal):
    """After the worker's deaths: the safe-mode menu boots the second entry, the supervisor saw
    exactly DEATHS deaths by SIGNAL, and the kernel never panicked."""
    m.expect_words("safe mode: the menu failed several times", t.deadline)
    m.expect_words(TITLES[1], t.deadline)
    m.keys((b" ", "space"), (DOWN, "Down"), (ENTER, "Enter"))
    t.expect_target(["e2e.entry=1"])
    raw = readable(bytes(m.raw))
    seen = raw.count(f"killed by signal {signal}")
    if seen != deaths or "Kernel panic" in raw:
        raise Failure(f"expected {deaths} worker deaths and no panic, saw {seen}")


@scenario
def random_kills(t):
    """The menu worker is killed (SIGALRM) five times at moments chosen by the clock — while
    finding devices, drawing, or editing a command line, as keys keep coming. PID 1 restarts it
    each time, then the safe-mode menu boots. No kernel panic."""
    cfg = grub_cfg(0, 30, ["/boot/vmlinuz"] * 2, extra=SERIAL)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": cfg, **boot_files(t.env)})
    m = t.boot(disks=[disk], append="baton.test-kill=5")
    deaths = lambda: readable(bytes(m.raw)).count("killed by signal 14")
    while deaths() < 5:
        if time.monotonic() > t.deadline:
            raise Failure(f"saw {deaths()} of 5 worker deaths")
        if deaths() < 3:
            # Keys while the full-screen workers come and go: start editing, type, leave the
            # editor. None after that, so no key is left over for the safe-mode menu.
            m.keys((b"e", "e"), (b"x", "x"), (b"\x1b", "Esc"))
        else:
            time.sleep(0.5)
    boot_from_safe_mode(t, m, deaths=5, signal=14)


class Tmux:
    """A detached tmux session running one command on an 80x24 terminal."""

    def __init__(self, name, command, log_path):
        self.name = f"baton-e2e-{os.getpid()}-{name}"
        self.log = open(log_path, "w")
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", command], check=True)

    def screen(self):
        out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return out.stdout

    def wait_for(self, text, deadline):
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                self.log.write(f"### e2e: screen with {text!r}\n{screen}\n")
                return screen
            time.sleep(0.2)
        self.log.write(f"### e2e: timed out waiting for {text!r}; screen:\n{self.screen()}\n")
        raise Failure(f"timed out waiting for {text!r} on the terminal")

    def keys(self, *keys):
        self.log.write(f"### e2e: keys {' '.join(keys)}\n")
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
        self.log.close()


@scenario
def host_menu(t):
    """The real binary in host mode (no QEMU) under tmux: a key stops the countdown, Down moves,
    d shows details, e edits the command line, and Enter prints the plan with the edit."""
    root = t.dir / "root"
    (root / "boot/grub").mkdir(parents=True)
    (root / "boot/grub/grub.cfg").write_text(grub_cfg(0, 30, ["/boot/vmlinuz"] * 3))
    for name in ("vmlinuz", "target.img"):
        (root / "boot" / name).write_text("not a real kernel\n")
    term = Tmux(t.name, f"TERM=vt220 {t.env['binary']} menu {root}; echo EXIT=$?; sleep 60", t.log_path)
    try:
        screen = term.wait_for("Press any key to stop", t.deadline)
        if "0* E2E Alpha" not in screen:
            raise Failure(f"default entry not marked:\n{screen}")
        term.keys("Space")
        term.wait_for("Countdown stopped.", t.deadline)
        term.keys("Down", "d")
        term.wait_for('Details of "E2E Bravo"', t.deadline)
        term.keys("q", "e")
        term.wait_for('Command line for "E2E Bravo"', t.deadline)
        term.keys("End", "Space", "e", "d", "i", "t", "e", "d", "Enter")
        screen = term.wait_for("EXIT=0", t.deadline)
        if "would boot:" not in screen or "e2e.entry=1 panic=-1 edited" not in screen:
            raise Failure(f"the plan does not show the edited second entry:\n{screen}")
    finally:
        term.close()


FACTS = re.compile(r"BATON-TARGET-FACTS ([^\n]*)\n")
# The kernel's count of the memory it was given: "Memory: 472404K/523768K available (...)".
MEMORY = re.compile(r"Memory: (\d+)K/(\d+)K available")


def facts_initrd(t, vmlinuz):
    """The target initrd with the efivarfs module of VMLINUZ's kernel (Debian builds it as a
    module), so that the target can read EFI variables and report them."""
    version = Path(vmlinuz).name.removeprefix("vmlinuz-")
    module = next((Path(vmlinuz).parents[1] / "lib/modules" / version).rglob("efivarfs.ko*"), None)
    if module is None:
        raise Failure(f"no efivarfs module beside {vmlinuz}")
    # scripts/target-initrd's own spec, beside its initrd, plus the module.
    base = (Path(t.env["target"]).parent / "initrd.spec").read_text()
    spec = t.dir / "facts.spec"
    spec.write_text(base + f"dir /modules 0755 0 0\nfile /modules/{module.name} {module} 0644 0 0\n")
    out = t.dir / "facts.img"
    subprocess.run(["/usr/bin/python3", REPO / "scripts/lib/mkcpio.py", spec, out], check=True)
    return out


def target_facts(m, deadline):
    """The target's facts line as a dict ({"efi": "1", "memtotal-kb": "...", ...})."""
    line = m.expect(FACTS, deadline, "the target's facts line").group(1)
    return dict(word.split("=", 1) for word in line.split() if "=" in word)


def payload_cfg(kernel, tags=("",)):
    """A grub.cfg whose entries boot KERNEL with the target initrd, passing e2e.entry=N, what
    Baton says grub_platform is, and no console=: Baton adds the one it uses."""
    lines = ["set default=0", "set timeout=1", ""]
    for n, tag in enumerate(tags):
        path = kernel if not tag else f"{kernel}-{tag}"
        lines += [f"menuentry '{TITLES[n]}' {{", f"    linux {path} e2e.entry={n} e2e.platform=$grub_platform panic=-1",
                  "    initrd /boot/target.img", "}", ""]
    return "\n".join(lines)


@scenario
def linuxboot_uefi(t):
    """OVMF starts the LinuxBoot payload from an ESP as \\EFI\\BOOT\\BOOTX64.EFI, nothing else given:
    Baton says grub_platform is efi, and kexecs Debian's generic kernel from another disk. That
    kernel finds the EFI system table, reads an EFI variable (runtime services survived the
    kexec), has the ACPI tables, the memory the payload had (within 2%) and console=ttyS0."""
    vmlinuz = generic_vmlinuz()
    esp = t.disk("vfat", "esp", {"EFI/BOOT/BOOTX64.EFI": Path(t.env["payload"])}, label="ESP")
    root = t.disk("ext4", "none", {"boot/grub/grub.cfg": payload_cfg("/boot/vmlinuz"),
                                   "boot/vmlinuz": Path(vmlinuz), "boot/target.img": facts_initrd(t, vmlinuz)})
    vars_copy = t.dir / "vars.fd"
    shutil.copyfile(qemu.OVMF_VARS, vars_copy)
    m = t.boot_payload([esp, root], uefi_vars=vars_copy)
    m.expect_words("Baton boot menu", t.deadline)
    facts = target_facts(m, t.deadline)
    t.expect_target(["e2e.entry=0", "e2e.platform=efi", "console=ttyS0"])
    check_firmware_facts(m, facts, efi=True)


def check_firmware_facts(m, facts, efi):
    """What the kexec'd kernel must have been left: EFI (system table, runtime services) when
    EFI started the payload, ACPI tables always, and the memory the payload's kernel counted."""
    m.note(f"target facts: {facts}")
    if facts.get("efi") != ("1" if efi else "0"):
        raise Failure(f"the target {'lacks' if efi else 'has'} /sys/firmware/efi: {facts}")
    if efi and (facts.get("PlatformLang") in (None, "none") or int(facts.get("efivars", "-1")) < 1):
        raise Failure(f"the target cannot read EFI variables: {facts}")
    if int(facts.get("acpi-tables", "-1")) < 1:
        raise Failure(f"the target has no ACPI tables: {facts}")
    counts = MEMORY.findall(m.text())
    if len(counts) < 2:
        raise Failure(f"expected the payload's and the target's 'Memory:' lines, found {len(counts)}")
    payload_total, target_total = int(counts[0][1]), int(counts[-1][1])
    m.note(f"memory: payload {payload_total} kB, target {target_total} kB, target MemTotal {facts.get('memtotal-kb')} kB")
    if abs(target_total - payload_total) > payload_total * 0.02:
        raise Failure(f"the target was given {target_total} kB, the payload {payload_total} kB")


@scenario
def linuxboot_bios(t):
    """SeaBIOS loads the LinuxBoot payload directly (-kernel, as a coreboot payload is started):
    Baton says grub_platform is pc, and kexecs the test kernel with console=ttyS0; the target has
    ACPI and the memory the payload had, and no EFI."""
    root = t.disk("ext4", "none", {"boot/grub/grub.cfg": payload_cfg("/boot/vmlinuz"), **boot_files(t.env)})
    m = t.boot_payload([root])
    m.expect_words("Baton boot menu", t.deadline)
    facts = target_facts(m, t.deadline)
    t.expect_target(["e2e.entry=0", "e2e.platform=pc", "console=ttyS0"])
    check_firmware_facts(m, facts, efi=False)


def virt_fw_vars():
    """virt-firmware's virt-fw-vars (PyPI), in a venv kept beside the other downloads."""
    venv = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "baton" / "venv"
    tool = venv / "bin" / "virt-fw-vars"
    with GENERIC["lock"]:
        if not tool.exists():
            subprocess.run(["/usr/bin/python3", "-m", "venv", venv], check=True, capture_output=True)
            subprocess.run([venv / "bin" / "pip", "install", "--quiet", "virt-firmware"], check=True, capture_output=True)
    return tool


def secure_boot_keys(t):
    """A test PK (also the KEK) and db key, and an OVMF variable store with them enrolled and
    Secure Boot on; returns (db key, db certificate, variable store)."""
    keys = {}
    for name in ("pk", "db"):
        key, cert = t.dir / f"{name}.key", t.dir / f"{name}.crt"
        subprocess.run(["openssl", "req", "-new", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
                        "-subj", f"/CN=Baton e2e {name}/", "-keyout", key, "-out", cert], check=True, capture_output=True)
        keys[name] = (key, cert)
    owner = "a0baa7e5-4b1f-4c3e-9d2a-6f5b8e7c1d20"
    store = t.dir / "vars-secure-boot.fd"
    subprocess.run([virt_fw_vars(), "--input", qemu.OVMF_VARS, "--output", store, "--set-pk", owner, keys["pk"][1],
                    "--add-kek", owner, keys["pk"][1], "--add-db", owner, keys["db"][1], "--secure-boot"],
                   check=True, capture_output=True)
    return keys["db"][0], keys["db"][1], store


def sbsign(key, cert, image, out):
    subprocess.run(["sbsign", "--key", key, "--cert", cert, "--output", out, image], check=True, capture_output=True)
    return out


@scenario
def linuxboot_secure_boot(t):
    """OVMF with test keys enrolled and Secure Boot on starts the payload signed with the test db
    key; its kernel is locked down (integrity). A target kernel without a signature is refused with
    Baton's message, the menu stays usable, and the same kernel signed with the db key boots:
    kexec_file_load checks it against the platform keyring (the firmware's db)."""
    key, cert, store = secure_boot_keys(t)
    payload = sbsign(key, cert, t.env["payload"], t.dir / "BOOTX64.EFI")
    unsigned = strip_pe_signature(t.env["kernel"], t.dir / "vmlinuz-unsigned")
    signed = sbsign(key, cert, unsigned, t.dir / "vmlinuz-signed")
    esp = t.disk("vfat", "esp", {"EFI/BOOT/BOOTX64.EFI": payload}, label="ESP")
    root = t.disk("ext4", "none", {"boot/grub/grub.cfg": payload_cfg("/boot/vmlinuz", tags=("unsigned", "signed")),
                                   "boot/vmlinuz-unsigned": unsigned, "boot/vmlinuz-signed": signed,
                                   "boot/target.img": Path(t.env["target"])})
    m = t.boot_payload([esp, root], uefi_vars=store)
    m.expect(re.compile(r"Secure boot enabled"), t.deadline, "the payload's kernel seeing Secure Boot")
    m.expect(re.compile(r"[Ll]ocked down"), t.deadline, "the payload's kernel locking itself down")
    m.expect(re.compile(r"integrity: Loaded X\.509 cert 'Baton e2e db"), t.deadline, "the db key in the platform keyring")
    m.expect_words(f'Cannot boot "{TITLES[0]}": the running kernel is locked down', t.deadline)
    m.keys((DOWN, "Down"), (ENTER, "Enter"))
    t.expect_target(["e2e.entry=1", "e2e.platform=efi", "console=ttyS0"])


def run_one(name, env, timeout):
    start = time.monotonic()
    t = Run(name, env, timeout)
    error = None
    try:
        SCENARIOS[name](t)
    except Failure as e:
        error = str(e)
    except subprocess.CalledProcessError as e:
        error = f"{e.cmd[0]} failed: {(e.stderr or b'').decode(errors='replace').strip()}"
    finally:
        try:
            t.finish(passed=error is None)
        except Failure as e:
            error = error or str(e)
    tail = ""
    if error and t.log_path.exists():
        lines = readable(t.log_path.read_bytes()).splitlines()
        tail = "\n".join("    | " + line for line in lines[-40:])
    seen = t.machine.seen if t.machine else {}
    timing = ", ".join(f"{label} {seen[m]:.1f} s" for m, label in zip(MILESTONES, ("menu", "target")) if m in seen)
    timing = f"; after QEMU start: {timing}" if timing else ""
    return name, error, time.monotonic() - start, tail, timing


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenarios", nargs="*", metavar="SCENARIO")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--keep", action="store_true", help="keep the disk images")
    ap.add_argument("--list", action="store_true")
    opts = ap.parse_args()
    if opts.list:
        for name, fn in SCENARIOS.items():
            print(f"{name}: {fn.__doc__}")
        return 0
    unknown = [n for n in opts.scenarios if n not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario {', '.join(unknown)}; --list shows them")
    names = opts.scenarios or list(SCENARIOS)

    logs = REPO / ".build-out" / "e2e"
    logs.mkdir(parents=True, exist_ok=True)
    env = {"logs": logs}
    # The tests' one package list (scripts/lib/packages), installed here once rather than by
    # scenarios racing for apt's lock; a no-op when scripts/test has installed it already.
    subprocess.run(["bash", "-c", "source scripts/lib/common.sh && need_listed_packages test"],
                   cwd=REPO, check=True)
    env["kernel"] = os.environ.get("BATON_KERNEL") or last_line("scripts/kernel")
    env["target"] = last_line("scripts/target-initrd")
    env["initramfs"] = os.environ.get("BATON_INITRAMFS") or last_line("scripts/initramfs")
    env["binary"] = os.environ.get("BATON_BINARY") or str(REPO / ".build-static" / "baton")
    if not Path(env["binary"]).exists():
        env["binary"] = last_line("scripts/build")
    if any(n.startswith("linuxboot-") for n in names):
        # Built before any scenario starts (a first build takes about 15 minutes on 2 cores).
        env["payload"] = os.environ.get("BATON_PAYLOAD") or last_line("scripts/linuxboot", "--binary", env["binary"])
    env["tmp"] = tempfile.mkdtemp(prefix="baton-e2e-")
    print(f"e2e: {len(names)} scenarios, {opts.jobs} at a time, initramfs {env['initramfs']}",
          flush=True)

    failed = []
    try:
        with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
            futures = [pool.submit(run_one, n, env, opts.timeout) for n in names]
            for future in concurrent.futures.as_completed(futures):
                name, error, seconds, tail, timing = future.result()
                if error:
                    failed.append(name)
                    print(f"FAIL {name} ({seconds:.1f} s): {error}\n  log: {logs / name}.log\n{tail}",
                          flush=True)
                else:
                    print(f"PASS {name} ({seconds:.1f} s{timing})", flush=True)
    except KeyboardInterrupt:
        for m in list(RUNNING):
            m.proc.kill()
        raise
    finally:
        if opts.keep:
            print(f"disk images kept in {env['tmp']}")
        else:
            shutil.rmtree(env["tmp"], ignore_errors=True)
    print(f"{len(names) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
