# e2e scenarios: network boot against real servers (dnsmasq for DHCP and TFTP) in network
# namespaces made for the scenario (scripts/lib/netns.py: a veth pair for host mode, a bridge with
# taps for QEMU); no route leads out of them and only their own addresses (192.0.2.0/24,
# TEST-NET-1) are used.

from harness import *  # noqa: F401,F403 — the harness: Run, Machine, Failure, helpers, @scenario

from netns import CLIENT_MAC, SERVER, SERVER6, Bridge, VethPair


def pxelinux_cfg(tag):
    return "\n".join([
        "DEFAULT net", "PROMPT 0", "LABEL net", f"  MENU LABEL Network {tag}", "  KERNEL vmlinuz",
        f"  APPEND initrd=target.img e2e.entry={tag}", ""])


@scenario
def netboot_host_pxelinux(t):
    """Host mode, as root in a network namespace: `baton netboot vcli` gets a lease from dnsmasq
    (next-server and pxelinux.0 as boot file), then reads pxelinux's configuration over TFTP in
    pxelinux's order — the `default` file alone, then the `01-<MAC>` file beside it wins — and
    lists its entry; `baton fetch` reads a 3 MB file over TFTP, then over HTTP from Python's
    server, byte for byte, and says what a missing file is on each."""
    root = t.dir / "tftp"
    (root / "pxelinux.cfg").mkdir(parents=True)
    (root / "pxelinux.cfg/default").write_text(pxelinux_cfg("default"))
    big = bytes((i * 7 + i // 251) & 0xFF for i in range(3 * 1024 * 1024 + 17))
    (root / "big.bin").write_bytes(big)
    (root / "vmlinuz").write_bytes(b"not a kernel")
    (root / "target.img").write_bytes(b"not an initrd")
    with VethPair(t.dir) as ns:
        log = ns.dnsmasq("vsrv", root, "--dhcp-boot=pxelinux.0")

        def netboot(expected_file, tag):
            run = ns.run_client(t.env["binary"], "netboot", "--json", "vcli")
            with open(t.log_path, "a") as f:
                f.write(f"$ baton netboot --json vcli\n{run.stdout}{run.stderr}\n")
            if run.returncode != 0:
                raise Failure(f"baton netboot failed ({run.returncode}): {run.stderr.strip()}")
            if f"tftp://{SERVER}/{expected_file}: pxelinux configuration" not in run.stderr:
                raise Failure(f"expected {expected_file} to be read: {run.stderr.strip()}")
            entries = json.loads(run.stdout)
            titles = [e["title"] for e in entries]
            if titles != [f"Network {tag}"] or f"e2e.entry={tag}" not in entries[0]["cmdline"]:
                raise Failure(f"entries {entries}, expected the {tag} config's")
            if entries[0]["device"] != f"tftp://{SERVER}" or entries[0]["kernel"] != "/vmlinuz":
                raise Failure(f"the entry names {entries[0]['device']} {entries[0]['kernel']}")
            return run.stderr

        said = netboot("pxelinux.cfg/default", "default")
        if "192.0.2.5" not in said or "boot file pxelinux.0" not in said:
            raise Failure(f"the lease is not reported: {said.strip()}")
        (root / f"pxelinux.cfg/01-{CLIENT_MAC.replace(':', '-')}").write_text(pxelinux_cfg("mac"))
        netboot(f"pxelinux.cfg/01-{CLIENT_MAC.replace(':', '-')}", "mac")
        dhcp = log.read_text(errors="replace")
        if "PXEClient:Arch:0000" not in dhcp or "DHCPACK(vsrv)" not in dhcp:
            raise Failure("dnsmasq's log lacks the PXE vendor class or the ACK")

        def fetch(base, *missing_says):
            """`baton fetch` of big.bin from BASE, byte for byte; a missing file's message says MISSING_SAYS."""
            out = t.dir / "fetched.bin"
            run = ns.run_client(t.env["binary"], "fetch", "--out", str(out), f"{base}/big.bin")
            with open(t.log_path, "a") as f:
                f.write(f"$ baton fetch {base}/big.bin\n{run.stderr}\n")
            if run.returncode != 0 or out.read_bytes() != big:
                raise Failure(f"baton fetch {base}/big.bin: {run.returncode} {run.stderr.strip()}")
            run = ns.run_client(t.env["binary"], "fetch", f"{base}/missing")
            if run.returncode == 0 or not all(words in run.stderr for words in missing_says):
                raise Failure(f"fetching {base}/missing said: {run.returncode} {run.stderr.strip()}")

        fetch(f"tftp://{SERVER}", "server error 1", "not found")

        # The same file over HTTP from Python's server in the namespace; a missing one is a 404.
        ns.http_server(root)
        fetch(f"http://{SERVER}:8080", "404")

        # HTTPS, checked against a CA given with --ca: the good certificate passes; a certificate
        # another CA signed is refused, with the reason.
        ca, certs = test_pki(t.dir / "pki")
        server = t.dir / "https_server.py"
        server.write_text(HTTPS_SERVER)
        ns.start(sys.executable, str(server), str(root), SERVER, "8443", *map(str, certs["good"]))
        ns.start(sys.executable, str(server), str(root), SERVER, "8445", *map(str, certs["wrong-ca"]))
        time.sleep(1)
        out = t.dir / "fetched-https.bin"
        run = ns.run_client(t.env["binary"], "fetch", "--ca", str(ca), "--out", str(out), f"https://{SERVER}:8443/big.bin")
        if run.returncode != 0 or out.read_bytes() != big:
            raise Failure(f"baton fetch https://…:8443/big.bin: {run.returncode} {run.stderr.strip()}")
        run = ns.run_client(t.env["binary"], "fetch", "--ca", str(ca), f"https://{SERVER}:8445/big.bin")
        if run.returncode == 0 or "not from a trusted CA" not in run.stderr:
            raise Failure(f"a certificate from another CA was not refused: {run.returncode} {run.stderr.strip()}")

        # A boot file that is a kernel itself, named by --url: one entry, the kernel over HTTP.
        shutil.copy(t.env["kernel"], root / "real-kernel")
        run = ns.run_client(t.env["binary"], "netboot", "--json", "--url", f"http://{SERVER}:8080/real-kernel", "vcli")
        entries = json.loads(run.stdout or "[]")
        if run.returncode != 0 or [e["title"] for e in entries] != [f"real-kernel from http://{SERVER}:8080"]:
            raise Failure(f"netboot --url of a kernel: {run.returncode} {entries} {run.stderr.strip()}")


@scenario
def netboot_pxelinux(t):
    """No disk; two virtio NICs: the first's tap is down (no carrier), the second is on a bridge
    with dnsmasq (DHCP with next-server and pxelinux.0, TFTP). Baton loads virtio_net, gives up
    on the dead NIC, gets a lease on the other, reads pxelinux.cfg/<SMBIOS UUID> (the `01-<MAC>`
    and `default` files beside it lose), and its countdown boots the entry: the kernel and initrd
    are fetched over TFTP into memory and kexec'd, with the console Baton uses added."""
    root = t.dir / "tftp"
    (root / "pxelinux.cfg").mkdir(parents=True)
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    mac, uuid = "52:54:00:be:70:02", "5e1f0d2c-3b4a-4c5d-8e6f-708192a3b4c5"
    (root / "pxelinux.cfg/default").write_text(pxelinux_cfg("default"))
    (root / f"pxelinux.cfg/01-{mac.replace(':', '-')}").write_text(pxelinux_cfg("mac"))
    (root / f"pxelinux.cfg/{uuid}").write_text("\n".join([
        "DEFAULT net", "TIMEOUT 10", "LABEL net", "  MENU LABEL Network UUID", "  KERNEL vmlinuz",
        "  INITRD target.img", "  APPEND e2e.entry=net-uuid panic=-1", ""]))
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, "--dhcp-boot=pxelinux.0")
        nics = net.tap("tap1", up=False) + ["-device", "virtio-net-pci,netdev=tap1,mac=52:54:00:be:70:09"]
        nics += net.tap("tap0") + ["-device", f"virtio-net-pci,netdev=tap0,mac={mac}"]
        m = t.boot(extra=nics + ["-smbios", f"type=1,uuid={uuid}"], netns=net.server)
        t.expect_target(["e2e.entry=net-uuid", SERIAL])
        if "eth0: network boot (DHCP)" not in m.text() or "eth1: network boot (DHCP)" not in m.text():
            raise Failure("a network job was not started for each NIC")


@scenario
def netboot_silent_network(t):
    """A disk whose default boots after 2 s, and two NICs: one on a bridge where no DHCP server
    answers, one whose tap is down (no carrier). The menu does not wait for either: the disk's
    default boots on time, long before DHCP would give up (30 s)."""
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": grub_cfg(1, 2, ["/boot/vmlinuz"] * 3), **boot_files(t.env)})
    with Bridge(t.dir) as net:
        nics = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:03"]
        nics += net.tap("tap1", up=False) + ["-device", "virtio-net-pci,netdev=tap1,mac=52:54:00:be:70:04"]
        m = t.boot(disks=[disk], extra=nics, netns=net.server)
        t.expect_target(["e2e.entry=1", SERIAL])
        text = m.text()
        for name in ("eth0", "eth1"):
            if f"{name}: network boot (DHCP)" not in text:
                raise Failure(f"no network job was started for {name}")
        menu, target = m.seen.get("Baton boot menu"), m.seen.get("BATON-TARGET-BOOTED")
        if menu is None or target is None or target - menu > 25:
            raise Failure(f"the disk default took {target} s after the menu at {menu} s: it waited for the network")


STALLING_TFTP = r"""
# A TFTP server that serves small files whole and stops answering 20 blocks into larger ones.
import os, socket, struct, sys, threading
root = sys.argv[1]
def serve(request, client):
    name = request[2:].split(b"\0")[0].decode().lstrip("/")
    path = os.path.join(root, name)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], 0))
    s.settimeout(2)
    if not os.path.isfile(path):
        s.sendto(struct.pack(">HH", 5, 1) + b"not here\0", client)
        return
    data = open(path, "rb").read()
    blocks = [data[i:i + 512] for i in range(0, len(data) + 1, 512)]
    for n, block in enumerate(blocks, 1):
        if len(data) > 65536 and n > 20:
            return  # silence, mid-file
        for _ in range(5):
            s.sendto(struct.pack(">HH", 3, n & 0xFFFF) + block, client)
            try:
                ack, _ = s.recvfrom(1024)
                if ack[:2] == b"\0\4":
                    break
            except socket.timeout:
                pass
listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
listener.bind((sys.argv[2], 69))
while True:
    request, client = listener.recvfrom(2048)
    if request[:2] == b"\0\1":
        threading.Thread(target=serve, args=(request, client), daemon=True).start()
"""


@scenario
def netboot_tftp_stalls(t):
    """A disk and a NIC whose boot server stops answering 20 blocks into the kernel. Choosing the
    network entry shows a progress line on the console; Esc stops the transfer and the menu says
    it was cancelled. Chosen again and left alone, it fails with a message naming the file,
    within TFTP's retries; the menu stays, and the disk entry then boots."""
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": grub_cfg(0, 30, ["/boot/vmlinuz"]), **boot_files(t.env)})
    root = t.dir / "tftp"
    (root / "pxelinux.cfg").mkdir(parents=True)
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "pxelinux.cfg/default").write_text(pxelinux_cfg("stalled"))
    server = t.dir / "stalling_tftp.py"
    server.write_text(STALLING_TFTP)
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, f"--dhcp-boot=pxelinux.0,,{SERVER}", "--enable-tftp=lo")
        net.start(sys.executable, str(server), str(root), SERVER)
        nic = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:05"]
        m = t.boot(disks=[disk], extra=nic, netns=net.server)
        m.expect(re.compile(r"Network stalled"), t.deadline, "the network entry in the menu")
        m.keys((b" ", "Space: stop the countdown"), (b"\x1b[B", "Down"), (b"\r", "Enter: the network entry"))
        m.expect(re.compile(rf"Fetching tftp://{re.escape(SERVER)}/vmlinuz: [0-9.]+( of [0-9.]+)? MB, [0-9.]+ MB/s\. Esc cancels\."),
                 t.deadline, "the progress line")
        m.keys((b"\x1b", "Esc: cancel the transfer"))
        m.expect(re.compile(r"Cannot boot \"Network stalled\": [^\n]*vmlinuz.*?cancelled", re.S), t.deadline, "the cancelled transfer's message")
        m.keys((b"\r", "Enter: the network entry again"))
        m.expect(re.compile(r"Cannot boot \"Network stalled\": [^\n]*vmlinuz.*?no answer", re.S), t.deadline, "the stalled transfer's message")
        m.keys((b"\x1b[A", "Up"), (b"\r", "Enter: the disk entry"))
        t.expect_target(["e2e.entry=0", SERIAL])


IPXE_MENU = """#!ipxe
# The menu a fleet's boot server hands out: a gap, a shell item, a default with a countdown.
:start
menu Fleet boot menu
item --gap -- Operating systems
item --key s shell iPXE shell
item --key d debian Debian over HTTP
choose --default debian --timeout 2000 target && goto ${target} || goto start
:debian
kernel vmlinuz e2e.entry=ipxe-http mac=${net0/mac:hexhyp} panic=-1
initrd tftp://${next-server}/target.img
boot || goto start
:shell
shell
"""


@scenario
def netboot_ipxe_http(t):
    """No disk; dnsmasq hands out an http:// boot file: an iPXE script that chains a per-MAC
    script (not there: 404) or else the common menu. Baton runs it: the iPXE menu becomes
    entries (its shell item shown as not bootable), its default boots after its countdown, the
    kernel over HTTP and the initrd over TFTP, with `${net0/mac:hexhyp}` expanded."""
    root = t.dir / "srv"
    root.mkdir()
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    mac = "52:54:00:be:70:06"
    (root / "boot.ipxe").write_text("#!ipxe\nchain node-${net0/mac:hexhyp}.ipxe || chain menu.ipxe\n")
    (root / "menu.ipxe").write_text(IPXE_MENU)
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, f"--dhcp-boot=http://{SERVER}:8080/boot.ipxe")
        net.http_server(root)
        nic = net.tap("tap0") + ["-device", f"virtio-net-pci,netdev=tap0,mac={mac}"]
        m = t.boot(extra=nic, netns=net.server)
        m.expect(re.compile(r"Debian over HTTP"), t.deadline, "the iPXE menu's items in Baton's menu")
        t.expect_target(["e2e.entry=ipxe-http", f"mac={mac.replace(':', '-')}", SERIAL])
        if "iPXE shell" not in m.text():
            raise Failure("the iPXE shell item is not in the menu")


@scenario
def netboot_grub_tftp(t):
    """No disk; dnsmasq names GRUB's network image (grub-mknetdir's layout) as the boot file.
    Baton looks where GRUB would — boot/grub/grub.cfg-01-<MAC>, the address in hex, grub.cfg —
    and its GRUB interpreter runs boot/grub/grub.cfg with `$root` the TFTP server, `(tftp)` and
    `(tftp,$net_default_server)` paths; the default boots after GRUB's timeout, over TFTP."""
    root = t.dir / "tftp"
    (root / "boot/grub/x86_64-efi").mkdir(parents=True)
    (root / "boot/grub/x86_64-efi/core.efi").write_bytes(b"not GRUB")
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "boot/grub/grub.cfg").write_text("\n".join([
        "set default=1", "set timeout=1",
        "menuentry 'GRUB net other' { linux (tftp)/vmlinuz e2e.entry=grub-other; initrd (tftp)/target.img }",
        "menuentry 'GRUB net' {",
        "  linux (tftp,$net_default_server)/vmlinuz e2e.entry=grub-net server=$net_default_server panic=-1",
        "  initrd ($root)/target.img",
        "}", ""]))
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, "--dhcp-boot=boot/grub/x86_64-efi/core.efi")
        nic = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:07"]
        t.boot(extra=nic, netns=net.server)
        t.expect_target(["e2e.entry=grub-net", f"server={SERVER}", SERIAL])


@scenario
def netboot_url(t):
    """`baton.url=` on the kernel command line wins over the lease's boot file (pxelinux.0, whose
    configuration exists too): the iPXE script it names is fetched over HTTP and its kernel and
    initrd boot, both over one kept HTTP/1.1 connection."""
    root = t.dir / "srv"
    (root / "pxelinux.cfg").mkdir(parents=True)
    (root / "pxelinux.cfg/default").write_text(pxelinux_cfg("pxelinux-not-wanted"))
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "node.ipxe").write_text("#!ipxe\nkernel /vmlinuz e2e.entry=from-url panic=-1\ninitrd /target.img\nboot\n")
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, "--dhcp-boot=pxelinux.0")
        requests = net.http_server(root)
        nic = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:08"]
        t.boot(extra=nic, netns=net.server, append=f"baton.url=http://{SERVER}:8080/node.ipxe")
        t.expect_target(["e2e.entry=from-url", SERIAL])
        got = {}
        for line in requests.read_text().splitlines():
            port, method, path, status = line.split()
            got.setdefault((method, path), []).append(port)
        kernel, initrd = got.get(("GET", "/vmlinuz")), got.get(("GET", "/target.img"))
        if not kernel or not initrd or kernel[-1] != initrd[-1]:
            raise Failure(f"the kernel and initrd did not share one connection: {requests.read_text()}")


@scenario
def netboot_http_class(t):
    """dnsmasq set up for UEFI HTTP boot only: PXE clients get no boot file; clients whose vendor
    class is HTTPClient get an http:// URL (and option 60 echoed, as UEFI asks). Baton's PXE
    lease has no boot file, so it asks again as an HTTP boot client, and the script boots."""
    root = t.dir / "srv"
    root.mkdir()
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "http.ipxe").write_text("#!ipxe\nkernel /vmlinuz e2e.entry=http-class panic=-1\ninitrd /target.img\nboot\n")
    with Bridge(t.dir) as net:
        log = net.dnsmasq("br0", root, "--dhcp-vendorclass=set:httpboot,HTTPClient",
                          f"--dhcp-boot=tag:httpboot,http://{SERVER}:8080/http.ipxe",
                          "--dhcp-option-force=tag:httpboot,60,HTTPClient")
        net.http_server(root)
        nic = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:0c"]
        t.boot(extra=nic, netns=net.server)
        t.expect_target(["e2e.entry=http-class", SERIAL])
        if "HTTPClient:Arch:00016" not in log.read_text(errors="replace"):
            raise Failure("dnsmasq never saw an HTTPClient vendor class")


HTTPS_SERVER = r"""
# HTTPS from ROOT on SERVER:PORT with CERT and KEY (Python's HTTP server over ssl).
import functools, http.server, ssl, sys
root, address, port, cert, key = sys.argv[1:6]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
server = http.server.ThreadingHTTPServer((address, int(port)), handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"""


SNTP_SERVER = r"""
# An SNTP server on ADDRESS:123 giving this machine's time (version 4, stratum 2).
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 123))
while True:
    request, client = s.recvfrom(512)
    if len(request) < 48:
        continue
    now = time.time() + 2208988800
    stamp = struct.pack(">II", int(now), int((now % 1) * 2**32))
    s.sendto(bytes([0x24, 2, 6, 0xEC]) + bytes(20) + request[40:48] + stamp + stamp, client)
"""


def test_pki(work):
    """A CA made now, and three server certificates for SERVER (an iPAddress name): one it signed
    valid now, one it signed that expired in 2021, one another CA signed. Returns their paths."""
    work.mkdir(parents=True, exist_ok=True)

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=work)

    for ca in ("ca", "other-ca"):
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-days", "30",
            "-subj", f"/CN=Baton test {ca}")
    (work / "san.ext").write_text(f"subjectAltName=IP:{SERVER}\nbasicConstraints=CA:FALSE\n")
    (work / "index.txt").write_text("")
    (work / "ca.cnf").write_text("\n".join([
        "[ca]", "default_ca=test", "[test]", f"dir={work}", "database=$dir/index.txt", "new_certs_dir=$dir",
        "serial=$dir/serial", "default_md=sha256", "policy=anything", "copy_extensions=none", "unique_subject=no",
        "[anything]", "commonName=supplied", ""]))
    (work / "serial").write_text("01\n")
    certs = {}
    for name, signer, dates in (("good", "ca", None), ("expired", "ca", ("20200101000000Z", "20210101000000Z")),
                                ("wrong-ca", "other-ca", None)):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={SERVER}")
        when = ["-startdate", dates[0], "-enddate", dates[1]] if dates else ["-days", "30"]
        run("ca", "-batch", "-config", "ca.cnf", "-cert", f"{signer}.pem", "-keyfile", f"{signer}.key", "-in", f"{name}.csr",
            "-out", f"{name}.pem", "-extfile", "san.ext", "-notext", *when)
        certs[name] = (work / f"{name}.pem", work / f"{name}.key")
    return work / "ca.pem", certs


@scenario
def netboot_https(t):
    """HTTPS, verified: the test CA goes into the initramfs as an operator adds theirs (a second
    cpio archive appended, initramfs/certs/README.md). The machine's RTC says 2001, so every
    certificate would look not yet valid: DHCP names an NTP server (option 42), and Baton sets
    its clock from it. DHCP's boot file is an https:// iPXE script; its menu names kernels on
    three HTTPS servers. The one whose certificate has expired and the one another CA signed
    are each refused with the reason; the disk entry is still there; the good one boots, its
    kernel and initrd fetched over HTTPS."""
    ca, certs = test_pki(t.dir / "pki")
    root = t.dir / "srv"
    root.mkdir()
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    ports = {"good": 8443, "expired": 8444, "wrong-ca": 8445}
    lines = ["#!ipxe", "menu HTTPS", "item good HTTPS good", "item expired HTTPS expired", "item wrong-ca HTTPS wrong CA",
             "choose --default good target && goto ${target}"]
    for name, port in ports.items():
        lines += [f":{name}", f"kernel https://{SERVER}:{port}/vmlinuz e2e.entry=https-{name} panic=-1",
                  f"initrd https://{SERVER}:{port}/target.img", "boot"]
    (root / "menu.ipxe").write_text("\n".join(lines) + "\n")
    spec = t.dir / "certs.spec"
    spec.write_text(f"dir /etc 0755 0 0\ndir /etc/baton 0755 0 0\ndir /etc/baton/certs 0755 0 0\n"
                    f"file /etc/baton/certs/test-ca.pem {ca} 0644 0 0\n")
    extra = t.dir / "certs.cpio.gz"
    subprocess.run(["/usr/bin/python3", str(REPO / "scripts/lib/mkcpio.py"), str(spec), str(extra)], check=True)
    initramfs = t.dir / "initramfs-with-ca.cpio.gz"
    initramfs.write_bytes(Path(t.env["initramfs"]).read_bytes() + extra.read_bytes())
    server = t.dir / "https_server.py"
    server.write_text(HTTPS_SERVER)
    disk = t.disk("ext4", "none", {"boot/grub/grub.cfg": grub_cfg(0, 60, ["/boot/vmlinuz"]), **boot_files(t.env)})
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, f"--dhcp-boot=https://{SERVER}:8443/menu.ipxe", f"--dhcp-option=42,{SERVER}")
        for name, port in ports.items():
            net.start(sys.executable, str(server), str(root), SERVER, str(port), *map(str, certs[name]))
        sntp = t.dir / "sntp_server.py"
        sntp.write_text(SNTP_SERVER)
        net.start(sys.executable, str(sntp), SERVER)
        nic = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:0a", "-rtc", "base=2001-01-01T00:00:00"]
        m = t.boot(disks=[disk], extra=nic, netns=net.server, initramfs=str(initramfs))
        m.expect(re.compile(r"HTTPS wrong CA"), t.deadline, "the menu read over HTTPS")
        m.keys((b" ", "Space: stop the countdown"), (b"\x1b[B", "Down"), (b"\x1b[B", "Down"), (b"\r", "Enter: HTTPS expired"))
        m.expect(re.compile(r"Cannot boot \"HTTPS expired\": .*?has expired", re.S), t.deadline, "the expired certificate's refusal")
        m.keys((b"\x1b[B", "Down"), (b"\r", "Enter: HTTPS wrong CA"))
        m.expect(re.compile(r"Cannot boot \"HTTPS wrong CA\": .*?not from a trusted CA", re.S), t.deadline,
                 "the unknown CA's refusal")
        m.keys((b"\x1b[A", "Up"), (b"\x1b[A", "Up"), (b"\r", "Enter: HTTPS good"))
        t.expect_target(["e2e.entry=https-good", SERIAL])


@scenario
def netboot_e1000(t):
    """On Debian's generic kernel, whose NIC drivers are modules (e1000 is not built in): the one
    NIC is an Intel e1000 (QEMU's `e1000`), found by its PCI modalias and its driver loaded from
    the initramfs; the machine boots over PXE as with virtio-net: DHCP, pxelinux's `default`,
    kernel and initrd over TFTP."""
    kernel, initramfs = generic_kernel(t.env)
    root = t.dir / "tftp"
    (root / "pxelinux.cfg").mkdir(parents=True)
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "pxelinux.cfg/default").write_text("\n".join([
        "DEFAULT net", "TIMEOUT 10", "LABEL net", "  MENU LABEL Network e1000", "  KERNEL vmlinuz",
        "  INITRD target.img", "  APPEND e2e.entry=net-e1000 panic=-1", ""]))
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, "--dhcp-boot=pxelinux.0")
        nic = net.tap("tap0") + ["-device", "e1000,netdev=tap0,mac=52:54:00:be:70:0d"]
        t.boot(extra=nic, netns=net.server, kernel=kernel, initramfs=initramfs)
        t.expect_target(["e2e.entry=net-e1000", SERIAL])


@scenario
def netboot_dhcpv6(t):
    """An IPv6-only network: dnsmasq on the bridge answers DHCPv6 (no DHCPv4 range) and sends
    router advertisements, with RFC 5970's boot file URL, an http://[2001:db8::1]:8080 iPXE
    script. Baton's DHCPv6 runs beside its DHCPv4 (which never gets an answer); the address is
    leased and configured, the script read, and its kernel and initrd fetched over HTTP on IPv6."""
    root = t.dir / "srv"
    root.mkdir()
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "boot6.ipxe").write_text("#!ipxe\nkernel vmlinuz e2e.entry=dhcpv6 mac=${mac:hexhyp} panic=-1\ninitrd target.img\nboot\n")
    mac = "52:54:00:be:70:0e"
    with Bridge(t.dir, ipv6=True) as net:
        log = net.dnsmasq("br0", root, "--dhcp-range=2001:db8::50,2001:db8::60,64,10m", "--enable-ra",
                          f"--dhcp-option=option6:bootfile-url,http://[{SERVER6}]:8080/boot6.ipxe", ipv4=False)
        net.http_server(root, address=SERVER6)
        nic = net.tap("tap0") + ["-device", f"virtio-net-pci,netdev=tap0,mac={mac}"]
        t.boot(extra=nic, netns=net.server)
        t.expect_target(["e2e.entry=dhcpv6", f"mac={mac.replace(':', '-')}", SERIAL])
        dhcp = log.read_text(errors="replace")
        if "DHCPREPLY(br0) 2001:db8::5" not in dhcp:
            raise Failure("dnsmasq's log shows no DHCPv6 reply with an address")


@scenario
def netboot_grub_http(t):
    """UEFI HTTP boot of GRUB: DHCP's boot file is GRUB's image as a URL. Baton does not fetch
    the image; it reads grub.cfg where that GRUB would, on the same HTTP server (EFI/BOOT/grub.cfg
    here, after the per-MAC and per-address names), with `$root` `http,192.0.2.1`; the entry's
    `(http)` kernel and `($root)` initrd come over HTTP."""
    root = t.dir / "srv"
    (root / "EFI/BOOT").mkdir(parents=True)
    (root / "EFI/BOOT/grubx64.efi").write_bytes(b"not GRUB")
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "EFI/BOOT/grub.cfg").write_text("\n".join([
        "set timeout=1",
        "menuentry 'GRUB over HTTP' {",
        "  linux (http)/vmlinuz e2e.entry=grub-http root=$root panic=-1",
        "  initrd ($root)/target.img",
        "}", ""]))
    with Bridge(t.dir) as net:
        net.dnsmasq("br0", root, f"--dhcp-boot=http://{SERVER}/EFI/BOOT/grubx64.efi")
        net.http_server(root, port=80)
        nic = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:0f"]
        t.boot(extra=nic, netns=net.server)
        t.expect_target(["e2e.entry=grub-http", f"root=http,{SERVER}", SERIAL])


@scenario
def netboot_fixed_address(t):
    """No DHCP server at all: `baton.net=192.0.2.77/24` gives the address, `baton.url=` the iPXE
    script on Python's HTTP server; its kernel and initrd boot."""
    root = t.dir / "srv"
    root.mkdir()
    shutil.copy(t.env["kernel"], root / "vmlinuz")
    shutil.copy(t.env["target"], root / "target.img")
    (root / "fixed.ipxe").write_text("#!ipxe\nkernel vmlinuz e2e.entry=fixed ip=${ip} panic=-1\ninitrd target.img\nboot\n")
    with Bridge(t.dir) as net:
        net.http_server(root)
        nic = net.tap("tap0") + ["-device", "virtio-net-pci,netdev=tap0,mac=52:54:00:be:70:10"]
        t.boot(extra=nic, netns=net.server, append=f"baton.net=192.0.2.77/24 baton.url=http://{SERVER}:8080/fixed.ipxe")
        t.expect_target(["e2e.entry=fixed", "ip=192.0.2.77", SERIAL])
