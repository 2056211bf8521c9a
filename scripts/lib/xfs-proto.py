#!/usr/bin/python3
# Writes an mkfs.xfs prototype file (-p) describing a directory tree, so an XFS image can be
# filled without root: directories, regular files and symlinks, owned by root.
import os
import stat
import sys


def entries(path, depth):
    out = []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        st = os.lstat(full)
        pad = " " * depth
        perms = format(stat.S_IMODE(st.st_mode) & 0o777, "03o")
        if stat.S_ISDIR(st.st_mode):
            out.append(f"{pad}{name} d--{perms} 0 0")
            out += entries(full, depth + 1)
            out.append(f"{pad}$")
        elif stat.S_ISLNK(st.st_mode):
            out.append(f"{pad}{name} l--{perms} 0 0 {os.readlink(full)}")
        elif stat.S_ISREG(st.st_mode):
            out.append(f"{pad}{name} ---{perms} 0 0 {os.path.abspath(full)}")
    return out


def main():
    root = sys.argv[1]
    lines = ["baton", "0 0", "d--755 0 0"] + entries(root, 1) + ["$"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
