/* The init of the end-to-end tests' target kernel: prints what it found of the firmware (a facts line),
   then its command line as a marker, then powers off. Modules in /modules are loaded first. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n <= 0) return;
        buf += n;
        len -= (size_t)n;
    }
}

/* Loads every /modules/NAME.ko (the initrd of the firmware scenarios carries efivarfs.ko). */
static void load_modules(void) {
    DIR *dir = opendir("/modules");
    if (dir == NULL) return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        char path[512];
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "/modules/%s", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        syscall(SYS_finit_module, fd, "", 0);
        close(fd);
    }
    closedir(dir);
}

/* The number of entries in DIR, or -1 when it cannot be read. */
static int count_entries(const char *path) {
    DIR *dir = opendir(path);
    if (dir == NULL) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(dir);
    return n;
}

/* The value of the EFI variable PlatformLang (after its 4 attribute bytes), as text; "none" when
   it cannot be read (no EFI, no efivarfs, or runtime services that did not survive a kexec). */
static void platform_lang(char *out, size_t size) {
    snprintf(out, size, "none");
    int fd = open("/sys/firmware/efi/efivars/PlatformLang-8be4df61-93ca-11d2-aa0d-00e098032b8c", O_RDONLY);
    if (fd < 0) return;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 4) return;
    buf[n] = 0;
    snprintf(out, size, "%s", buf + 4);
}

/* MemTotal of /proc/meminfo in kB, or -1. */
static long mem_total(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (f == NULL) return -1;
    long kb = -1;
    char key[64];
    while (fscanf(f, "%63s %ld kB", key, &kb) == 2)
        if (strcmp(key, "MemTotal:") == 0) break;
    fclose(f);
    return kb;
}

/* Writes TEXT where the test reads it: the console (fds 0-2, opened by the kernel) and /dev/kmsg,
   which lands in the log even without one; when the console is elsewhere (CMDLINE lacks
   console=ttyS0, say console=hvc0, whose driver this initrd does not load), the first serial line too. */
static void emit(const char *text, size_t len, const char *cmdline) {
    write_all(1, text, len);
    int kmsg = open("/dev/kmsg", O_WRONLY);
    if (kmsg < 0) {
        mknod("/dev/kmsg", S_IFCHR | 0600, makedev(1, 11));
        kmsg = open("/dev/kmsg", O_WRONLY);
    }
    if (kmsg >= 0) {
        write_all(kmsg, text, len);
        close(kmsg);
    }
    if (!isatty(1) || strstr(cmdline, "console=ttyS0") == NULL) {
        mknod("/ttyS0", S_IFCHR | 0600, makedev(4, 64));
        int serial = open("/ttyS0", O_WRONLY | O_NOCTTY);
        if (serial >= 0) {
            write_all(serial, text, len);
            close(serial);
        }
    }
}

int main(void) {
    static char line[8192];
    size_t len = 0;
    const char *prefix = "BATON-TARGET-BOOTED cmdline=";

    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mkdir("/sys", 0555);
    mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    load_modules();
    int efi = access("/sys/firmware/efi", F_OK) == 0;
    if (efi)
        mount("efivarfs", "/sys/firmware/efi/efivars", "efivarfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
    static char facts[512], lang[64];
    platform_lang(lang, sizeof lang);
    int facts_len = snprintf(facts, sizeof facts, "BATON-TARGET-FACTS efi=%d efivars=%d PlatformLang=%s acpi-tables=%d memtotal-kb=%ld\n",
                             efi, count_entries("/sys/firmware/efi/efivars"), lang,
                             count_entries("/sys/firmware/acpi/tables"), mem_total());

    memcpy(line, prefix, strlen(prefix));
    len = strlen(prefix);
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd >= 0) {
        ssize_t n;
        while (len < sizeof line - 2 && (n = read(fd, line + len, sizeof line - 2 - len)) > 0)
            len += (size_t)n;
        close(fd);
    }
    while (len > strlen(prefix) && (line[len - 1] == '\n' || line[len - 1] == ' '))
        len--;
    line[len++] = '\n';

    emit(facts, (size_t)facts_len, line);
    emit(line, len, line);

    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        sleep(60);
}
