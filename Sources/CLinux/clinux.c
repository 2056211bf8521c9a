// C shims for Linux calls Swift cannot make directly, and PID 1's start-up before the Swift runtime.
#define _GNU_SOURCE
#include "clinux.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/kexec.h>
#include <linux/netlink.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/time.h>
#include <linux/openat2.h>
#include <linux/reboot.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int early_status = -1;

// The Swift runtime needs /proc (it finds itself through /proc/self) and CommandLine needs
// /proc/self/cmdline, so PID 1 mounts /proc and /dev here, before any Swift code runs.
// Priority 101 runs before the runtime's own constructors.
__attribute__((constructor(101))) static void clinux_early_init(void) {
    if (getpid() != 1) return;
    early_status = 0;
    mkdir("/proc", 0555);
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0 || errno == EBUSY)
        early_status |= 1;
    mkdir("/dev", 0755);
    if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755") == 0 || errno == EBUSY)
        early_status |= 2;
    if (fcntl(0, F_GETFD) < 0 || fcntl(1, F_GETFD) < 0 || fcntl(2, F_GETFD) < 0) {
        int fd = open("/dev/console", O_RDWR | O_NOCTTY);
        if (fd < 0) fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            for (int i = 0; i < 3; i++) if (fcntl(i, F_GETFD) < 0) dup2(fd, i);
            if (fd > 2) close(fd);
            early_status |= 4;
        }
    }
}

int clinux_early_init_status(void) { return early_status; }

long clinux_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, unsigned long flags) {
    unsigned long len = 0;
    while (cmdline[len] != 0) len++;
    return syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, len + 1, cmdline, flags);
}

unsigned long clinux_kexec_file_no_initramfs(void) { return KEXEC_FILE_NO_INITRAMFS; }

long clinux_finit_module(int fd, const char *params, int flags) {
    return syscall(SYS_finit_module, fd, params, flags);
}

static int reboot_cmd(unsigned int cmd) {
    return (int)syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, NULL);
}
int clinux_reboot_kexec(void) { return reboot_cmd(LINUX_REBOOT_CMD_KEXEC); }
int clinux_reboot_restart(void) { return reboot_cmd(LINUX_REBOOT_CMD_RESTART); }
int clinux_reboot_power_off(void) { return reboot_cmd(LINUX_REBOOT_CMD_POWER_OFF); }

int clinux_klog_console_level(int level) { return klogctl(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, level); }

int clinux_memfd_create(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

int clinux_wifexited(int status) { return WIFEXITED(status); }
int clinux_wexitstatus(int status) { return WEXITSTATUS(status); }
int clinux_wifsignaled(int status) { return WIFSIGNALED(status); }
int clinux_wtermsig(int status) { return WTERMSIG(status); }

int clinux_open_in_root(int root_fd, const char *path, int flags) {
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .mode = 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
    };
    const char *relative = path;
    while (*relative == '/') relative++;
    if (*relative == 0) relative = ".";
    long fd = syscall(SYS_openat2, root_fd, relative, &how, sizeof how);
    // With "..", openat2 gives up with EAGAIN when any rename or mount happened meanwhile — other
    // devices are mounted while this one is read. It may be asked again; the walk below ends it.
    for (int attempt = 0; fd < 0 && errno == EAGAIN && attempt < 8; attempt++) {
        fd = syscall(SYS_openat2, root_fd, relative, &how, sizeof how);
    }
    // Kernels before 5.6 have no openat2: resolve the path here, the same way.
    if (fd < 0 && (errno == ENOSYS || errno == EAGAIN)) return clinux_open_in_root_walk(root_fd, path, flags);
    return fd < 0 ? -errno : (int)fd;
}

/// Takes the first component off `rest` (a path, components separated by any number of '/')
/// into `component`; returns 0 when `rest` held none.
static int next_component(char *rest, char *component) {
    char *start = rest;
    while (*start == '/') start++;
    if (*start == 0) return 0;
    char *end = start;
    while (*end != 0 && *end != '/') end++;
    size_t length = (size_t)(end - start);
    memcpy(component, start, length);
    component[length] = 0;
    memmove(rest, end, strlen(end) + 1);
    return 1;
}

int clinux_open_in_root_walk(int root_fd, const char *path, int flags) {
    struct stat root_stat, st;
    if (fstat(root_fd, &root_stat) != 0) return -errno;
    // `resolved` is relative to the root and holds no symlink, "." or ".."; `rest` is still to walk.
    char resolved[PATH_MAX] = ".", rest[PATH_MAX], component[PATH_MAX], target[PATH_MAX];
    if (strlen(path) >= sizeof rest) return -ENAMETOOLONG;
    strcpy(rest, path);
    int links = 0;
    while (next_component(rest, component)) {
        if (strcmp(component, ".") == 0) continue;
        if (strcmp(component, "..") == 0) {
            char *slash = strrchr(resolved, '/');
            if (slash != NULL) *slash = 0;  // "." has no slash: ".." at the root stays there
            continue;
        }
        size_t length = strlen(resolved);
        if (length + 1 + strlen(component) >= sizeof resolved) return -ENAMETOOLONG;
        snprintf(resolved + length, sizeof resolved - length, "/%s", component);
        int fd = openat(root_fd, resolved, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return -errno;
        int same_filesystem = fstat(fd, &st) == 0 && st.st_dev == root_stat.st_dev;
        if (!same_filesystem) {
            close(fd);
            return -EXDEV;
        }
        if (!S_ISLNK(st.st_mode)) {
            close(fd);
            continue;
        }
        ssize_t n = readlinkat(fd, "", target, sizeof target - 1);
        close(fd);
        if (n < 0) return -errno;
        target[n] = 0;
        if (++links > 40) return -ELOOP;
        resolved[length] = 0;  // the link itself is replaced by its target
        if (target[0] == '/') strcpy(resolved, ".");  // an absolute target starts at the root
        if ((size_t)n + 1 + strlen(rest) >= sizeof rest) return -ENAMETOOLONG;
        memmove(rest + n + 1, rest, strlen(rest) + 1);
        memcpy(rest, target, (size_t)n);
        rest[n] = '/';
    }
    // Every component is known now and none is a link: open the last one as asked.
    int fd = openat(root_fd, resolved, flags | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -errno;
    if (fstat(fd, &st) != 0 || st.st_dev != root_stat.st_dev) {
        close(fd);
        return -EXDEV;
    }
    return fd;
}

int clinux_o_path(void) { return O_PATH; }

int clinux_is_regular(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

int clinux_uevent_socket(void) {
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
    if (fd < 0) return -errno;
    struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_pid = 0, .nl_groups = 1 };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    int size = 1 << 20;  // a burst of events at coldplug must not overflow the queue
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    return fd;
}

int clinux_block_set_read_only(int fd) {
    int one = 1;
    return ioctl(fd, BLKROSET, &one) == 0 ? 0 : -errno;
}

int clinux_eventfd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

long clinux_tty_baud(int fd) {
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return 0;
    switch (cfgetospeed(&t)) {
    case B9600: return 9600;
    case B19200: return 19200;
    case B38400: return 38400;
    case B57600: return 57600;
    case B115200: return 115200;
    case B230400: return 230400;
    case B460800: return 460800;
    case B921600: return 921600;
    default: return 0;
    }
}

int clinux_set_limit(int pid, int resource, unsigned long soft, unsigned long hard) {
    struct rlimit limit = { .rlim_cur = soft, .rlim_max = hard };
    return prlimit(pid, resource, &limit, NULL);
}

int clinux_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int clinux_packet_socket(int ifindex) {
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_IP));
    if (fd < 0) return -errno;
    struct sockaddr_ll addr = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = ifindex };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

long clinux_packet_broadcast(int fd, int ifindex, const void *packet, size_t length) {
    struct sockaddr_ll addr = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = ifindex, .sll_halen = 6 };
    memset(addr.sll_addr, 0xff, 6);
    ssize_t n = sendto(fd, packet, length, 0, (struct sockaddr *)&addr, sizeof addr);
    return n < 0 ? -errno : n;
}

int clinux_udp_socket(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -errno;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY), .sin_port = 0 };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    int size = 4 << 20;  // a TFTP window or an HTTP burst must not overflow the queue
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return fd;
}

long clinux_udp_send(int fd, unsigned int address, unsigned short port, const void *data, size_t length) {
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(address), .sin_port = htons(port) };
    ssize_t n = sendto(fd, data, length, 0, (struct sockaddr *)&addr, sizeof addr);
    return n < 0 ? -errno : n;
}

long clinux_udp_receive(int fd, void *buffer, size_t length, unsigned int *address, unsigned short *port) {
    struct sockaddr_in addr;
    socklen_t size = sizeof addr;
    ssize_t n = recvfrom(fd, buffer, length, MSG_DONTWAIT, (struct sockaddr *)&addr, &size);
    if (n < 0) return -errno;
    *address = ntohl(addr.sin_addr.s_addr);
    *port = ntohs(addr.sin_port);
    return n;
}

int clinux_rtnetlink_socket(int timeout_ms) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return -errno;
    struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

int clinux_tcp_connect(unsigned int address, unsigned short port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -errno;
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(address), .sin_port = htons(port) };
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

int clinux_udp6_socket(int ifindex, unsigned short port) {
    int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -errno;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof ifindex);
    char name[IF_NAMESIZE];
    if (if_indextoname((unsigned)ifindex, name) != NULL) setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, strlen(name));
    struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons(port), .sin6_addr = IN6ADDR_ANY_INIT };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

long clinux_udp6_send(int fd, const unsigned char *address, int scope, unsigned short port, const void *data, size_t length) {
    struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons(port), .sin6_scope_id = (uint32_t)scope };
    memcpy(&addr.sin6_addr, address, 16);
    ssize_t n = sendto(fd, data, length, 0, (struct sockaddr *)&addr, sizeof addr);
    return n < 0 ? -errno : n;
}

int clinux_tcp6_connect(const unsigned char *address, unsigned short port) {
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -errno;
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
    memcpy(&addr.sin6_addr, address, 16);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

int clinux_socket_error(int fd) {
    int error = 0;
    socklen_t size = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) return errno;
    return error;
}
