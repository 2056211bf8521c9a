// What started Baton's kernel: UEFI firmware (directly, as a LinuxBoot payload on an ESP, or
// through a boot loader) or a BIOS. GRUB's `grub_platform` and where its configuration is looked
// for first follow it.

import Glibc

public enum Firmware {
    /// Whether the kernel runs on UEFI firmware: the kernel publishes /sys/firmware/efi then
    /// (sysfs must be mounted).
    public static var isUEFI: Bool { access("/sys/firmware/efi", F_OK) == 0 }

    /// GRUB's name for this platform: "efi" under UEFI, "pc" under a BIOS.
    public static var grubPlatform: String { isUEFI ? "efi" : "pc" }
}
