// C shim over libblkid's low-level probe: one call fills the tags Baton uses. Symbols prefixed cblkid_.
#ifndef CBLKID_H
#define CBLKID_H

typedef struct {
    char type[32];      // filesystem type (TYPE), e.g. "ext4", "vfat", "iso9660"
    char uuid[64];      // filesystem UUID
    char label[128];    // filesystem LABEL
    char pttype[16];    // partition table type on a whole disk (PTTYPE), e.g. "dos", "gpt"
    char partuuid[64];  // PARTUUID of a partition
    char usage[16];     // USAGE, e.g. "filesystem", "raid", "crypto"
} cblkid_info;

/// Probes the device or image at path, read-only. Returns 0, 1 when nothing was found,
/// -2 when ambivalent (several signatures), or -errno when the device cannot be opened.
int cblkid_probe(const char *path, cblkid_info *info);

#endif
