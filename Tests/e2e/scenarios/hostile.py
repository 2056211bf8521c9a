# e2e scenarios: hostile input and failures — oversized configs, examinations that hang or trap,
# a kernel lockdown refuses, corrupt disks, the menu worker crashing or killed at random.

from harness import *  # noqa: F401,F403 — the harness: Run, Machine, Failure, helpers, @scenario


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
