# Network namespaces for tests and benchmarks of network boot: a server namespace (dnsmasq and
# other servers inside), joined to a client namespace by a veth pair or to QEMU's NICs by a bridge
# with taps. Nothing is routed out; only 192.0.2.0/24 (TEST-NET-1) is used.

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

SERVER = "192.0.2.1"
SERVER6 = "2001:db8::1"  # the documentation prefix (RFC 3849), for DHCPv6 scenarios
CLIENT_MAC = "52:54:00:be:70:01"
NAMESPACES = itertools.count()

# Python's file server speaking HTTP/1.1 (connections kept between requests, as nginx keeps
# them), logging each request as "CLIENT-PORT METHOD PATH STATUS" to LOG.
HTTP_SERVER = r"""
import functools, http.server, socket, sys
root, address, port, log = sys.argv[1:5]
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_request(self, code="-", size="-"):
        with open(log, "a") as f:
            f.write(f"{self.client_address[1]} {self.command} {self.path} {code}\n")
class Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
Server((address, int(port)), functools.partial(Handler, directory=root)).serve_forever()
"""


class Namespace:
    """A network namespace holding the servers, for one test or benchmark; torn down on exit.
    `work` is a directory for the servers' logs and leases."""

    def __init__(self, work):
        n = next(NAMESPACES)
        self.work, self.n = Path(work), n
        self.server = f"bt{os.getpid()}s{n}"
        self.processes = []
        self.namespaces = [self.server]

    def ip(self, *args):
        subprocess.run(["ip", *args], check=True, capture_output=True)

    def __enter__(self):
        self.ip("netns", "add", self.server)
        self.ip("-n", self.server, "link", "set", "lo", "up")
        return self

    def dnsmasq(self, interface, tftp_root, *options, ipv4=True):
        """dnsmasq serving DHCP (192.0.2.50–60, unless not `ipv4`) and TFTP from `tftp_root` on `interface`."""
        log = self.work / "dnsmasq.log"
        ranges = ["--dhcp-range=192.0.2.50,192.0.2.60,255.255.255.0,10m"] if ipv4 else []
        proc = subprocess.Popen(
            ["ip", "netns", "exec", self.server, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
             f"--interface={interface}", "--bind-interfaces", *ranges,
             "--enable-tftp", f"--tftp-root={tftp_root}", f"--dhcp-leasefile={self.work / 'leases'}", "--pid-file=",
             "--user=root", "--log-dhcp", f"--log-facility={log}", *options],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.processes.append(proc)
        deadline = time.monotonic() + 10
        while not (log.exists() and "TFTP root" in log.read_text(errors="replace")):
            if proc.poll() is not None:
                raise RuntimeError(f"dnsmasq exited: {proc.stderr.read().decode(errors='replace')}")
            if time.monotonic() > deadline:
                raise RuntimeError("dnsmasq did not start")
            time.sleep(0.05)
        return log

    def start(self, *command):
        """A server process in the namespace, killed on exit."""
        proc = subprocess.Popen(["ip", "netns", "exec", self.server, *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(proc)
        return proc

    def http_server(self, root, port=8080, address=SERVER):
        """An HTTP/1.1 server (HTTP_SERVER) on ADDRESS:PORT serving ROOT; returns once it answers,
        with the path of its request log."""
        log = self.work / f"http-{port}.log"
        script = self.work / "http_server.py"
        script.write_text(HTTP_SERVER)
        self.start(sys.executable, str(script), str(root), address, str(port), str(log))
        probe = f"import socket; socket.create_connection(('{address}', {port}), 1)"
        deadline = time.monotonic() + 10
        while subprocess.run(["ip", "netns", "exec", self.server, sys.executable, "-c", probe], capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("the HTTP server did not start")
            time.sleep(0.1)
        return log

    def __exit__(self, *exc):
        for proc in self.processes:
            proc.kill()
            proc.wait()
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


class VethPair(Namespace):
    """The server namespace and a client namespace, joined by a veth pair (vsrv ↔ vcli)."""

    def __enter__(self):
        super().__enter__()
        self.client = f"bt{os.getpid()}c{self.n}"
        self.namespaces.append(self.client)
        self.ip("netns", "add", self.client)
        self.ip("link", "add", "vsrv", "netns", self.server, "type", "veth", "peer", "name", "vcli", "netns", self.client)
        self.ip("-n", self.client, "link", "set", "vcli", "address", CLIENT_MAC)
        self.ip("-n", self.server, "addr", "add", f"{SERVER}/24", "dev", "vsrv")
        self.ip("-n", self.server, "link", "set", "vsrv", "up")
        self.ip("-n", self.client, "link", "set", "lo", "up")
        return self

    def client_address(self, address="192.0.2.9"):
        """Gives vcli an address of its own, for a client that does no DHCP (curl)."""
        self.ip("-n", self.client, "addr", "add", f"{address}/24", "dev", "vcli")
        self.ip("-n", self.client, "link", "set", "vcli", "up")

    def run_client(self, *args, timeout=120):
        return subprocess.run(["ip", "netns", "exec", self.client, *args], capture_output=True, text=True, timeout=timeout)


class Bridge(Namespace):
    """The server namespace with a bridge (br0, the servers' address; SERVER6 too with `ipv6`) and
    taps for QEMU's NICs."""

    def __init__(self, work, ipv6=False):
        super().__init__(work)
        self.ipv6 = ipv6

    def __enter__(self):
        super().__enter__()
        self.ip("-n", self.server, "link", "add", "br0", "type", "bridge")
        self.ip("-n", self.server, "addr", "add", f"{SERVER}/24", "dev", "br0")
        if self.ipv6:
            self.ip("-n", self.server, "addr", "add", f"{SERVER6}/64", "dev", "br0", "nodad")
        self.ip("-n", self.server, "link", "set", "br0", "up")
        return self

    def tap(self, name, up=True):
        """A tap on the bridge, for `-netdev tap,ifname=NAME`; `up` False leaves it down (no carrier)."""
        self.ip("-n", self.server, "tuntap", "add", "dev", name, "mode", "tap")
        self.ip("-n", self.server, "link", "set", name, "master", "br0")
        if up:
            self.ip("-n", self.server, "link", "set", name, "up")
        return ["-netdev", f"tap,id={name},ifname={name},script=no,downscript=no"]
