# The e2e harness: QEMU machines on a serial line, test disks made without root, the scenario
# registry (@scenario) and the runner that runs scenarios in parallel and records their durations.

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
    except RuntimeError as e:  # a test server that would not start (scripts/lib/netns.py)
        error = str(e)
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
             sata=(), usb=(), kernel=None, initramfs=None, serial1=None, trickle=(), extra=(), netns=None):
        args = qemu.command(kernel or self.env["kernel"], initramfs or self.env["initramfs"],
                            f"{HOST_CMDLINE} {append}".strip(), disks=disks, cdroms=cdroms, virtconsole=virtconsole,
                            monitor=monitor, scsi=scsi, nvme=nvme, slow=slow, sata=sata, usb=usb, serial1=serial1,
                            trickle=trickle, extra=extra)
        if netns:
            # QEMU runs in the scenario's network namespace, where its taps are.
            args = ["ip", "netns", "exec", netns, *args]
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
    milestones = {label: round(seen[m], 1) for m, label in zip(MILESTONES, ("menu", "target")) if m in seen}
    return name, error, time.monotonic() - start, tail, milestones


def main(usage):
    ap = argparse.ArgumentParser(description=usage, formatter_class=argparse.RawDescriptionHelpFormatter)
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
    durations = []
    try:
        with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
            futures = [pool.submit(run_one, n, env, opts.timeout) for n in names]
            for future in concurrent.futures.as_completed(futures):
                name, error, seconds, tail, milestones = future.result()
                durations.append({"scenario": name, "passed": error is None, "seconds": round(seconds, 1),
                                  "after_qemu_start": milestones})
                timing = ", ".join(f"{label} {at:.1f} s" for label, at in milestones.items())
                timing = f"; after QEMU start: {timing}" if timing else ""
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
        # Each scenario's duration, in the order they finished, for comparing runs.
        record = logs / "durations.json"
        record.write_text(json.dumps({"jobs": opts.jobs, "scenarios": durations}, indent=1) + "\n")
        if opts.keep:
            print(f"disk images kept in {env['tmp']}")
        else:
            shutil.rmtree(env["tmp"], ignore_errors=True)
    print(f"{len(names) - len(failed)} passed, {len(failed)} failed; durations in {logs / 'durations.json'}")
    return 1 if failed else 0
