#!/usr/bin/python3
# Writes a gzip'd "newc" cpio archive (an initramfs) from a gen_init_cpio-style spec, without root.
"""Usage: mkcpio.py [--no-gzip] SPEC|- OUT

Spec lines (as the kernel's usr/gen_init_cpio; '#' starts a comment, fields have no spaces):
  dir   PATH MODE UID GID
  file  PATH SRC MODE UID GID
  nod   PATH MODE UID GID c|b MAJ MIN
  slink PATH TARGET MODE UID GID
  pipe  PATH MODE UID GID
MODE is octal permission bits. Parent directories that the spec does not list are added
(0755, root) before their first child, because the kernel's unpacker does not create them.
The output is deterministic: every mtime is 0, inode numbers follow the spec order.
"""
import gzip
import os
import stat
import sys

TYPES = {"dir": stat.S_IFDIR, "file": stat.S_IFREG, "nod": None, "slink": stat.S_IFLNK,
         "pipe": stat.S_IFIFO}


class SpecError(Exception):
    pass


class Writer:
    def __init__(self, out):
        self.out = out
        self.ino = 721  # where gen_init_cpio starts; any nonzero value works
        self.offset = 0
        self.seen = set()

    def _write(self, data):
        self.out.write(data)
        self.offset += len(data)

    def _pad(self):
        self._write(b"\0" * (-self.offset % 4))

    def entry(self, name, mode, uid=0, gid=0, data=b"", rdev=(0, 0), nlink=1):
        name = name.strip("/") or "."
        encoded = name.encode() + b"\0"
        fields = [self.ino, mode, uid, gid, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(encoded), 0]
        self.ino += 1
        self._write(b"070701" + b"".join(b"%08X" % f for f in fields) + encoded)
        self._pad()
        self._write(data)
        self._pad()
        self.seen.add(name)

    def parents(self, name):
        # Adds missing parent directories of NAME, outermost first.
        parts = name.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.seen:
                self.entry(d, stat.S_IFDIR | 0o755, nlink=2)

    def trailer(self):
        self.entry("TRAILER!!!", 0, nlink=1)
        self._write(b"\0" * (-self.offset % 512))


def parse_int(text, base, where):
    try:
        return int(text, base)
    except ValueError:
        raise SpecError(f"{where}: not a number: {text!r}")


def add_line(w, words, where):
    kind = words[0]
    want = {"dir": 5, "file": 6, "nod": 8, "slink": 6, "pipe": 5}.get(kind)
    if want is None:
        raise SpecError(f"{where}: unknown entry type {kind!r}")
    if len(words) != want:
        raise SpecError(f"{where}: '{kind}' takes {want - 1} fields, got {len(words) - 1}")
    path = words[1]
    if not path.startswith("/"):
        raise SpecError(f"{where}: path must be absolute: {path!r}")
    perm, uid, gid = words[3:6] if kind in ("file", "slink") else words[2:5]
    perm = parse_int(perm, 8, where) & 0o7777
    uid, gid = parse_int(uid, 10, where), parse_int(gid, 10, where)
    w.parents(path)
    if kind == "dir":
        w.entry(path, stat.S_IFDIR | perm, uid, gid, nlink=2)
    elif kind == "pipe":
        w.entry(path, stat.S_IFIFO | perm, uid, gid)
    elif kind == "file":
        try:
            with open(words[2], "rb") as f:
                data = f.read()
        except OSError as e:
            raise SpecError(f"{where}: {e.filename}: {e.strerror}")
        w.entry(path, stat.S_IFREG | perm, uid, gid, data=data)
    elif kind == "slink":
        w.entry(path, stat.S_IFLNK | perm, uid, gid, data=words[2].encode())
    else:
        dev, major, minor = words[5:8]
        if dev not in ("c", "b"):
            raise SpecError(f"{where}: device type must be c or b, got {dev!r}")
        ftype = stat.S_IFCHR if dev == "c" else stat.S_IFBLK
        w.entry(path, ftype | perm, uid, gid,
                rdev=(parse_int(major, 10, where), parse_int(minor, 10, where)))


def main(argv):
    compress = True
    if argv[:1] == ["--no-gzip"]:
        compress, argv = False, argv[1:]
    if len(argv) != 2:
        sys.exit(__doc__)
    spec_path, out_path = argv
    spec = sys.stdin if spec_path == "-" else open(spec_path)
    tmp = out_path + ".tmp"
    try:
        with open(tmp, "wb") as raw:
            out = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if compress else raw
            w = Writer(out)
            for n, line in enumerate(spec, 1):
                words = line.split("#", 1)[0].split()
                if words:
                    add_line(w, words, f"{spec_path}:{n}")
            w.trailer()
            if compress:
                out.close()
        os.replace(tmp, out_path)
    except SpecError as e:
        os.unlink(tmp)
        sys.exit(f"mkcpio: {e}")


if __name__ == "__main__":
    main(sys.argv[1:])
