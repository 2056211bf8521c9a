# What every Baton initramfs holds besides kernel modules, as gen_init_cpio spec lines (the format
# scripts/lib/mkcpio.py and the kernel's CONFIG_INITRAMFS_SOURCE both read): the folders PID 1
# mounts on, /dev/console and /dev/null, the static binary as /init, and compiled terminfo entries.
# Used by scripts/initramfs (Debian-kernel initramfs) and scripts/linuxboot (built into the kernel).

# initramfs_base_spec BINARY: prints the spec lines.
initramfs_base_spec() {
  local binary=$1 t d src
  cat <<SPEC
dir /proc 0555 0 0
dir /sys 0555 0 0
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
dir /run 0755 0 0
dir /tmp 1777 0 0
dir /etc 0755 0 0
dir /sbin 0755 0 0
file /init $binary 0755 0 0
slink /sbin/modprobe /init 0777 0 0
dir /usr 0755 0 0
dir /usr/share 0755 0 0
dir /usr/share/terminfo 0755 0 0
dir /etc/baton 0755 0 0
dir /etc/baton/certs 0755 0 0
SPEC
  # CA certificates HTTPS servers are verified against (initramfs/certs/README.md).
  for src in "$(repo_root)"/initramfs/certs/*.pem "$(repo_root)"/initramfs/certs/*.crt; do
    if [ -f "$src" ]; then echo "file /etc/baton/certs/$(basename "$src") $src 0644 0 0"; fi
  done
  # Compiled terminfo entries, as real files, from wherever the host keeps them.
  local made=" "
  for t in linux vt100 vt102 vt220 xterm xterm-256color screen tmux dumb; do
    src=
    for d in /etc/terminfo /lib/terminfo /usr/share/terminfo; do
      [ -e "$d/${t:0:1}/$t" ] && { src=$(readlink -f "$d/${t:0:1}/$t"); break; }
    done
    [ -n "$src" ] || die "no terminfo entry for $t (packages ncurses-base, ncurses-term)"
    case $made in *" ${t:0:1} "*) ;; *) echo "dir /usr/share/terminfo/${t:0:1} 0755 0 0"; made+="${t:0:1} " ;; esac
    echo "file /usr/share/terminfo/${t:0:1}/$t $src 0644 0 0"
  done
}
