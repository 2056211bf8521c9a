/*
 * The benchmark's floor: the least an init can do for Baton's job, written for scripts/bench.
 * It mounts the kernel filesystems, loads the modules listed in /floor-modules (dependencies
 * first), waits for /dev/vda, mounts it read-only, reads /boot/grub/grub.cfg, takes the first
 * `linux` and `initrd` lines, and kexecs them. No menu, no probing, no parsing beyond that.
 * It prints `floor-stage NAME SECONDS` lines (monotonic clock) as Baton does with baton.stages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void stage(const char *name) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("\nfloor-stage %s %ld.%06ld\n", name, (long)ts.tv_sec, ts.tv_nsec / 1000);
    fflush(stdout);
}

static void fail(const char *what) {
    printf("floor: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    for (;;) pause();
}

static void load_modules(void) {
    FILE *list = fopen("/floor-modules", "r");
    char path[512];
    if (!list) return;
    while (fgets(path, sizeof path, list)) {
        path[strcspn(path, "\n")] = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail(path);
        if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST) fail(path);
        close(fd);
    }
    fclose(list);
}

/* The first argument after `keyword` on a line of the config, and the rest of that line. */
static int find_line(const char *text, const char *keyword, char *file, size_t file_size, char *rest, size_t rest_size) {
    size_t klen = strlen(keyword);
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        while (*line == ' ' || *line == '\t') line++;
        if (strncmp(line, keyword, klen) != 0 || (line[klen] != ' ' && line[klen] != '\t')) continue;
        const char *p = line + klen;
        while (*p == ' ' || *p == '\t') p++;
        size_t n = strcspn(p, " \t\n");
        if (n >= file_size) return 0;
        memcpy(file, p, n);
        file[n] = 0;
        p += n;
        while (*p == ' ' || *p == '\t') p++;
        size_t m = strcspn(p, "\n");
        if (m >= rest_size) return 0;
        memcpy(rest, p, m);
        rest[m] = 0;
        return 1;
    }
    return 0;
}

int main(void) {
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    stage("init");
    load_modules();
    struct stat st;
    for (int i = 0; stat("/dev/vda", &st) != 0; i++) {
        if (i > 4000) fail("/dev/vda never appeared");
        usleep(5000);
    }
    stage("devices-ready");
    mkdir("/mnt", 0755);
    if (mount("/dev/vda", "/mnt", "ext4", MS_RDONLY, "noload") != 0) fail("mount /dev/vda");
    static char config[65536];
    int fd = open("/mnt/boot/grub/grub.cfg", O_RDONLY);
    if (fd < 0) fail("grub.cfg");
    ssize_t n = read(fd, config, sizeof config - 1);
    if (n < 0) fail("read grub.cfg");
    config[n] = 0;
    close(fd);
    char kernel[256] = "/mnt", initrd[256] = "/mnt", cmdline[2048], ignored[16];
    if (!find_line(config, "linux", kernel + 4, sizeof kernel - 4, cmdline, sizeof cmdline)) fail("no linux line");
    if (!find_line(config, "initrd", initrd + 4, sizeof initrd - 4, ignored, sizeof ignored)) initrd[0] = 0;
    stage("menu");
    int kfd = open(kernel, O_RDONLY | O_CLOEXEC);
    if (kfd < 0) fail(kernel);
    int ifd = initrd[0] ? open(initrd, O_RDONLY | O_CLOEXEC) : -1;
    stage("kexec-load");
    if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1, cmdline, ifd < 0 ? KEXEC_FILE_NO_INITRAMFS : 0) != 0)
        fail("kexec_file_load");
    umount2("/mnt", MNT_DETACH);
    sync();
    stage("kexec");
    reboot(LINUX_REBOOT_CMD_KEXEC);
    fail("reboot");
    return 0;
}
