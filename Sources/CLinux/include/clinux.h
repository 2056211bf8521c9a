// C shims for Linux calls Swift cannot make directly: variadic syscall(), reboot() commands,
// klogctl, and the wait-status macros. Every symbol is prefixed clinux_.
#ifndef CLINUX_H
#define CLINUX_H

#include <stddef.h>
#include <sys/types.h>

/// Result of the early start-up done in a C constructor before the Swift runtime starts.
/// Bit 0: /proc mounted, bit 1: /dev mounted, bit 2: fds 0-2 reopened. -1 when not PID 1.
int clinux_early_init_status(void);

long clinux_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, unsigned long flags);
unsigned long clinux_kexec_file_no_initramfs(void);
long clinux_finit_module(int fd, const char *params, int flags);
int clinux_reboot_kexec(void);
int clinux_reboot_restart(void);
int clinux_reboot_power_off(void);
/// Sets resource limit `resource` (RLIMIT_CPU, RLIMIT_AS…) of process `pid`; 0 or -1 with errno.
int clinux_set_limit(int pid, int resource, unsigned long soft, unsigned long hard);
/// pipe2(fds, O_CLOEXEC).
int clinux_pipe_cloexec(int fds[2]);
int clinux_klog_console_level(int level);
int clinux_memfd_create(const char *name);

int clinux_wifexited(int status);
int clinux_wexitstatus(int status);
int clinux_wifsignaled(int status);
int clinux_wtermsig(int status);

/// Opens `path` beneath the directory `root_fd` as if that directory were "/": "..", absolute
/// paths and symlinks cannot leave it (openat2 with RESOLVE_IN_ROOT, no magic links, no
/// crossing into other mounts). openat2's EAGAIN (a rename or mount anywhere while a ".." was
/// resolved) is retried, then left to the walk below. Returns the descriptor or -errno.
int clinux_open_in_root(int root_fd, const char *path, int flags);

/// What clinux_open_in_root does on kernels without openat2 (before 5.6): the same resolution,
/// one component at a time — a symlink's target walked inside the root, ".." stopping at the
/// root, another filesystem (a mount, /proc's magic links) refused with EXDEV. Exposed for tests.
int clinux_open_in_root_walk(int root_fd, const char *path, int flags);

/// O_PATH, which Swift's Glibc module does not export.
int clinux_o_path(void);

/// Whether `fd` is a regular file (not a FIFO, device or directory).
int clinux_is_regular(int fd);

/// Opens the kernel's uevent netlink socket (NETLINK_KOBJECT_UEVENT, the kernel's multicast
/// group), non-blocking. Returns the descriptor or -errno.
int clinux_uevent_socket(void);

/// Sets a block device read-only (BLKROSET) through an open descriptor. Returns 0 or -errno.
int clinux_block_set_read_only(int fd);

/// A non-blocking, close-on-exec eventfd counter (the Glibc module does not export eventfd).
int clinux_eventfd(void);

/// The output speed of a terminal in bits per second (e.g. 115200), or 0 if unknown.
long clinux_tty_baud(int fd);

/// An AF_PACKET datagram socket for IPv4 frames on interface `ifindex` (non-blocking), for
/// DHCP before the interface has an address. Returns the descriptor or -errno.
int clinux_packet_socket(int ifindex);
/// Sends an IPv4 packet to the Ethernet broadcast address on `ifindex`; bytes sent or -errno.
long clinux_packet_broadcast(int fd, int ifindex, const void *packet, size_t length);
/// A non-blocking UDP socket bound to an ephemeral port, its receive buffer enlarged; fd or -errno.
int clinux_udp_socket(void);
/// Sends a datagram to `address`:`port` (host byte order); bytes sent or -errno.
long clinux_udp_send(int fd, unsigned int address, unsigned short port, const void *data, size_t length);
/// Receives one waiting datagram and its sender (host byte order); bytes, or -errno (-EAGAIN when none).
long clinux_udp_receive(int fd, void *buffer, size_t length, unsigned int *address, unsigned short *port);
/// Starts a non-blocking TCP connection to `address`:`port` (host byte order); fd or -errno.
/// Poll it for writing, then clinux_socket_error says whether it connected.
int clinux_tcp_connect(unsigned int address, unsigned short port);
/// A non-blocking UDP socket on IPv6 bound to port `port` on interface `ifindex` only (DHCPv6's
/// client port 546, multicast sent out of that interface); fd or -errno.
int clinux_udp6_socket(int ifindex, unsigned short port);
/// Sends a datagram to `address` (16 bytes):`port`, `scope` the interface for a link-scoped
/// address (0 otherwise); bytes sent or -errno.
long clinux_udp6_send(int fd, const unsigned char *address, int scope, unsigned short port, const void *data, size_t length);
/// Starts a non-blocking TCP connection to `address` (16 bytes):`port` over IPv6; fd or -errno.
int clinux_tcp6_connect(const unsigned char *address, unsigned short port);
/// The pending error of a socket (SO_ERROR): 0 when none.
int clinux_socket_error(int fd);
/// A NETLINK_ROUTE socket (blocking, with a receive timeout of `timeout_ms`); fd or -errno.
int clinux_rtnetlink_socket(int timeout_ms);

#endif
