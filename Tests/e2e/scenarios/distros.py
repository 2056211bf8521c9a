# e2e scenarios: real installs' boot trees from ../shared/corpus, booted as their distribution wrote them.

from harness import *  # noqa: F401,F403 — the harness: Run, Machine, Failure, helpers, @scenario


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
