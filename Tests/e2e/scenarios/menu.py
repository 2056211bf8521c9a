# e2e scenarios: the menu itself — the countdown, keys, a missing kernel, two consoles at once,
# editing a command line, the command prompt, and host mode's menu on a terminal (tmux).

from harness import *  # noqa: F401,F403 — the harness: Run, Machine, Failure, helpers, @scenario


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
