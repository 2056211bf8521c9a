// C shim over libblkid's low-level probe, so Swift sees one call and one plain struct.
#include "cblkid.h"

#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void copy_tag(blkid_probe pr, const char *name, char *out, size_t size) {
    const char *data = NULL;
    size_t len = 0;
    out[0] = 0;
    if (blkid_probe_lookup_value(pr, name, &data, &len) == 0 && data != NULL) {
        size_t n = strnlen(data, len);
        if (n >= size) n = size - 1;
        memcpy(out, data, n);
        out[n] = 0;
    }
}

int cblkid_probe(const char *path, cblkid_info *info) {
    memset(info, 0, sizeof(*info));
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return -errno;
    blkid_probe pr = blkid_new_probe();
    if (pr == NULL) { close(fd); return -ENOMEM; }
    if (blkid_probe_set_device(pr, fd, 0, 0) != 0) {
        blkid_free_probe(pr);
        close(fd);
        return -EIO;
    }
    blkid_probe_enable_superblocks(pr, 1);
    blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_USAGE);
    blkid_probe_enable_partitions(pr, 1);
    blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
    int rc = blkid_do_safeprobe(pr);
    if (rc == 0) {
        copy_tag(pr, "TYPE", info->type, sizeof(info->type));
        copy_tag(pr, "UUID", info->uuid, sizeof(info->uuid));
        copy_tag(pr, "LABEL", info->label, sizeof(info->label));
        copy_tag(pr, "PTTYPE", info->pttype, sizeof(info->pttype));
        copy_tag(pr, "PART_ENTRY_UUID", info->partuuid, sizeof(info->partuuid));
        copy_tag(pr, "USAGE", info->usage, sizeof(info->usage));
    }
    blkid_free_probe(pr);
    close(fd);
    return rc == -1 ? -EIO : rc;
}
