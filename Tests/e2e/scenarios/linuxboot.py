# e2e scenarios: Baton's LinuxBoot payload started by firmware — OVMF (UEFI, with and without
# Secure Boot under our own keys) and SeaBIOS — and the facts the target sees of it.

from harness import *  # noqa: F401,F403 — the harness: Run, Machine, Failure, helpers, @scenario


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
