#!/usr/bin/env python3
"""Write the hand-made recorded trees of tests/data from the machine
descriptions below, laid out exactly as tests/record-sysfs records a live
machine: the same files, the same relative symlinks as the kernel's.

Run it from anywhere: python3 tests/data/make-fixtures.py
It rewrites only the trees it describes; recorded ones (no-gpu, guest-q35)
come from tests/record-sysfs and are left alone."""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

# (address, parent bridge or None, class, vendor, device, driver, group)
SEED = [
    ("0000:00:00.0", None, 0x060000, 0x8086, 0x3ec2, "skl_uncore", 0),
    ("0000:00:01.0", None, 0x060400, 0x8086, 0x1901, "pcieport", 1),
    ("0000:01:00.0", "0000:00:01.0", 0x030000, 0x10de, 0x1b80, "nvidia", 1),
    ("0000:01:00.1", "0000:00:01.0", 0x040300, 0x10de, 0x10f0, "snd_hda_intel", 1),
    ("0000:00:02.0", None, 0x030000, 0x8086, 0x3e92, "i915", 2),
    ("0000:00:08.0", None, 0x088000, 0x8086, 0x1911, None, 3),
    ("0000:00:14.0", None, 0x0c0330, 0x8086, 0xa2af, "xhci_hcd", 4),
    ("0000:00:14.2", None, 0x118000, 0x8086, 0xa2b1, "intel_pch_thermal", 4),
    ("0000:00:16.0", None, 0x078000, 0x8086, 0xa2ba, "mei_me", 5),
    ("0000:00:17.0", None, 0x010601, 0x8086, 0xa282, "ahci", 6),
    ("0000:00:1c.0", None, 0x060400, 0x8086, 0xa290, "pcieport", 7),
    ("0000:00:1c.3", None, 0x060400, 0x8086, 0xa293, "pcieport", 8),
    ("0000:03:00.0", "0000:00:1c.3", 0x020000, 0x10ec, 0x8168, "r8169", 11),
    ("0000:00:1d.0", None, 0x060400, 0x8086, 0xa298, "pcieport", 9),
    ("0000:04:00.0", "0000:00:1d.0", 0x010802, 0x144d, 0xa808, "nvme", 12),
    ("0000:00:1f.0", None, 0x060100, 0x8086, 0xa2c9, None, 10),
    ("0000:00:1f.2", None, 0x058000, 0x8086, 0xa2a1, None, 10),
    ("0000:00:1f.3", None, 0x040300, 0x8086, 0xa2f0, "snd_hda_intel", 10),
    ("0000:00:1f.4", None, 0x0c0500, 0x8086, 0xa2a3, "i801_smbus", 10),
]

SEED_KCONFIG = """CONFIG_IRQ_REMAP=y
CONFIG_IOMMU_SUPPORT=y
CONFIG_INTEL_IOMMU=y
CONFIG_INTEL_IOMMU_SVM=y
# CONFIG_AMD_IOMMU is not set
CONFIG_VFIO_IOMMU_TYPE1=y
CONFIG_VFIO=y
CONFIG_VFIO_PCI=y
CONFIG_VFIO_PCI_VGA=y
CONFIG_DRM=y
"""

SEED_BUILTIN = """kernel/drivers/vfio/vfio.ko
kernel/drivers/vfio/vfio_iommu_type1.ko
kernel/drivers/vfio/pci/vfio-pci.ko
kernel/drivers/pci/pci-stub.ko
kernel/drivers/iommu/intel-iommu.ko
"""

SEED_DEP = """kernel/drivers/gpu/drm/i915/i915.ko: kernel/drivers/gpu/drm/drm_kms_helper.ko kernel/drivers/gpu/drm/drm.ko
kernel/sound/pci/hda/snd-hda-intel.ko: kernel/sound/pci/hda/snd-hda-codec.ko kernel/sound/core/snd.ko
kernel/drivers/net/ethernet/realtek/r8169.ko:
kernel/drivers/gpu/drm/amd/amdgpu/amdgpu.ko: kernel/drivers/gpu/drm/drm_kms_helper.ko kernel/drivers/gpu/drm/drm.ko
video/nvidia.ko:
video/nvidia-modeset.ko: video/nvidia.ko
video/nvidia-drm.ko: video/nvidia-modeset.ko video/nvidia.ko kernel/drivers/gpu/drm/drm_kms_helper.ko
video/nvidia-uvm.ko: video/nvidia.ko
"""


def w(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def link(path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


def keep(d):
    """git keeps no empty directory: a .keep file holds it (record-sysfs does the same)."""
    os.makedirs(d, exist_ok=True)
    if not os.listdir(d):
        w(os.path.join(d, ".keep"), "")


def chain(devs, addr):
    """the directory chain below /sys/devices for a device"""
    byaddr = {d[0]: d for d in devs}
    parts = [addr]
    while byaddr[parts[0]][1]:
        parts.insert(0, byaddr[parts[0]][1])
    dom, bus = addr.split(":")[0], parts[0].split(":")[1]
    return ["pci%s:%s" % (dom, bus)] + parts


def make(name, devs, *, iommu=True, dmar=True, cmdline="BOOT_IMAGE=/vmlinuz root=/dev/nvme0n1p2 ro",
         release="4.17.9-gentoo", kconfig=SEED_KCONFIG, builtin=SEED_BUILTIN, dep=SEED_DEP,
         boot_vga=None, overrides=None, drm=None, sound=None, modules=("vfio", "vfio_pci", "vfio_iommu_type1"),
         connectors=None, describes=""):
    root = os.path.join(HERE, name)
    if os.path.isdir(root):
        shutil.rmtree(root)
    s = os.path.join(root, "sys")
    overrides = overrides or {}
    boot_vga = boot_vga or {}
    drivers = set(["vfio-pci", "pcieport"])
    for addr, parent, cls, ven, dev, drv, grp in devs:
        c = chain(devs, addr)
        ddir = os.path.join(s, "devices", *c)
        depth = len(c) + 1  # up to sys/: devices + chain
        up = "../" * depth
        w(os.path.join(ddir, "class"), "0x%06x\n" % cls)
        w(os.path.join(ddir, "vendor"), "0x%04x\n" % ven)
        w(os.path.join(ddir, "device"), "0x%04x\n" % dev)
        w(os.path.join(ddir, "subsystem_vendor"), "0x%04x\n" % ven)
        w(os.path.join(ddir, "subsystem_device"), "0x%04x\n" % (dev ^ 0x1000))
        w(os.path.join(ddir, "revision"), "0x00\n")
        w(os.path.join(ddir, "enable"), "1\n" if drv else "0\n")
        w(os.path.join(ddir, "remove"), "")
        w(os.path.join(ddir, "driver_override"), "%s\n" % overrides.get(addr, "(null)"))
        if cls >> 8 == 0x0300:
            w(os.path.join(ddir, "boot_vga"), "%d\n" % boot_vga.get(addr, 0))
        if drv:
            drivers.add(drv)
            link(os.path.join(ddir, "driver"), up + "bus/pci/drivers/" + drv)
            link(os.path.join(s, "bus/pci/drivers", drv, addr), "../../../../devices/" + "/".join(c))
        if iommu and grp is not None:
            link(os.path.join(ddir, "iommu_group"), up + "kernel/iommu_groups/%d" % grp)
            link(os.path.join(s, "kernel/iommu_groups/%d/devices" % grp, addr),
                 "../../../../devices/" + "/".join(c))
            w(os.path.join(s, "kernel/iommu_groups/%d/type" % grp), "DMA\n")
        link(os.path.join(s, "bus/pci/devices", addr), "../../../devices/" + "/".join(c))
    for drv in drivers:
        for f in ("bind", "unbind", "new_id", "remove_id"):
            w(os.path.join(s, "bus/pci/drivers", drv, f), "")
    w(os.path.join(s, "bus/pci/drivers_probe"), "")
    w(os.path.join(s, "bus/pci/rescan"), "")
    keep(os.path.join(s, "kernel/iommu_groups"))
    keep(os.path.join(s, "class/iommu"))
    if iommu:
        for unit in ("dmar0", "dmar1"):
            keep(os.path.join(s, "devices/virtual/iommu", unit))
            link(os.path.join(s, "class/iommu", unit), "../../devices/virtual/iommu/" + unit)
    if dmar:
        w(os.path.join(s, "firmware/acpi/tables/DMAR"), "")
    for m in list(modules) + sorted(d for d in drivers if d not in ("pcieport", "vfio-pci")):
        keep(os.path.join(s, "module", m.replace("-", "_")))
    # class/drm and class/sound, as the kernel links them
    for addr, cards in (drm or {}).items():
        c = chain(devs, addr)
        for node in cards:
            keep(os.path.join(s, "devices", *c, "drm", node))
            link(os.path.join(s, "class/drm", node), "../../devices/" + "/".join(c) + "/drm/" + node)
    for addr, (card, names) in (connectors or {}).items():
        c = chain(devs, addr)
        for conn, status in names:
            cdir = os.path.join(s, "devices", *c, "drm", card, card + "-" + conn)
            w(os.path.join(cdir, "status"), status + "\n")
            link(os.path.join(s, "class/drm", card + "-" + conn),
                 "../../devices/" + "/".join(c) + "/drm/" + card + "/" + card + "-" + conn)
    for addr, card in (sound or {}).items():
        c = chain(devs, addr)
        keep(os.path.join(s, "devices", *c, "sound", card))
        link(os.path.join(s, "class/sound", card), "../../devices/" + "/".join(c) + "/sound/" + card)
    p = os.path.join(root, "proc")
    w(os.path.join(p, "cmdline"), cmdline + "\n")
    w(os.path.join(p, "sys/kernel/osrelease"), release + "\n")
    if kconfig is not None:
        w(os.path.join(root, "boot", "config-" + release), kconfig)
    w(os.path.join(root, "lib/modules", release, "modules.builtin"), builtin)
    w(os.path.join(root, "lib/modules", release, "modules.dep"), dep)
    w(os.path.join(root, "RECORDED"), "hand-made by tests/data/make-fixtures.py: %s\n" % describes)


SEED_DRM = {"0000:00:02.0": ["card0", "renderD128"], "0000:01:00.0": ["card1", "renderD129"]}
SEED_CONN = {"0000:00:02.0": ("card0", [("DP-1", "connected"), ("HDMI-A-1", "disconnected")]),
             "0000:01:00.0": ("card1", [("DP-1", "connected"), ("DP-2", "connected")])}
SEED_SOUND = {"0000:00:1f.3": "card0", "0000:01:00.1": "card1"}
SEED_ARGS = dict(cmdline="BOOT_IMAGE=/boot/vmlinuz-4.17.9-gentoo root=/dev/nvme0n1p2 ro iommu=on intel_iommu=on",
                 boot_vga={"0000:01:00.0": 1, "0000:00:02.0": 0}, drm=SEED_DRM, connectors=SEED_CONN,
                 sound=SEED_SOUND)


def with_drivers(devs, changes):
    return [(a, p, c, v, d, changes.get(a, drv), g) for a, p, c, v, d, drv, g in devs]


def without_group(devs):
    return devs


def main():
    make("seed", SEED, describes="the seed's i7-8700K + GTX 1080 workstation, host mode", **SEED_ARGS)
    vm = with_drivers(SEED, {"0000:01:00.0": "vfio-pci", "0000:01:00.1": "vfio-pci"})
    args = dict(SEED_ARGS, drm={"0000:00:02.0": ["card0", "renderD128"]},
                connectors={"0000:00:02.0": SEED_CONN["0000:00:02.0"]}, sound={"0000:00:1f.3": "card0"})
    make("seed-vm", vm, overrides={"0000:01:00.0": "vfio-pci", "0000:01:00.1": "vfio-pci"},
         describes="the seed machine in vm mode", **args)
    mixed = with_drivers(SEED, {"0000:01:00.0": "vfio-pci"})
    make("seed-mixed", mixed, overrides={"0000:01:00.0": "vfio-pci"},
         describes="the seed machine half switched: the GPU on vfio-pci, its audio not", **dict(
             args, sound=SEED_SOUND))
    off = dict(SEED_ARGS, cmdline="BOOT_IMAGE=/boot/vmlinuz-4.17.9-gentoo root=/dev/nvme0n1p2 ro")
    make("seed-iommu-off", SEED, iommu=False, describes="the seed machine booted without intel_iommu=on", **off)
    make("seed-no-dmar", SEED, iommu=False, dmar=False,
         describes="the seed machine with VT-d disabled in the firmware", **off)
    nonviable = [d if d[0] != "0000:00:01.0" else d for d in SEED] + [
        ("0000:00:01.1", None, 0x060400, 0x8086, 0x1905, "pcieport", 1),
        ("0000:02:00.0", "0000:00:01.1", 0x020000, 0x8086, 0x1539, "igb", 1),
    ]
    make("nonviable", nonviable, describes="no ACS: an I211 network card shares the GPU's IOMMU group",
         **SEED_ARGS)
    bus16 = [d for d in SEED if d[0] not in ("0000:01:00.0", "0000:01:00.1")] + [
        ("0000:00:1c.4", None, 0x060400, 0x8086, 0xa294, "pcieport", 13),
        ("0000:0f:00.0", "0000:00:1c.4", 0x060400, 0x1b21, 0x1184, "pcieport", 14),
        ("0000:10:00.0", "0000:0f:00.0", 0x030000, 0x10de, 0x1b80, "nvidia", 15),
        ("0000:10:00.1", "0000:0f:00.0", 0x040300, 0x10de, 0x10f0, "snd_hda_intel", 15),
    ]
    make("bus16", bus16, describes="the dGPU behind a switch on bus 0x10 (decimal 16)",
         cmdline=SEED_ARGS["cmdline"], boot_vga={"0000:10:00.0": 1},
         drm={"0000:00:02.0": ["card0"], "0000:10:00.0": ["card1"]}, sound={"0000:10:00.1": "card1"})
    turing = [d for d in SEED if d[0] not in ("0000:01:00.0", "0000:01:00.1")] + [
        ("0000:01:00.0", "0000:00:01.0", 0x030000, 0x10de, 0x1e87, "nvidia", 1),
        ("0000:01:00.1", "0000:00:01.0", 0x040300, 0x10de, 0x10f8, "snd_hda_intel", 1),
        ("0000:01:00.2", "0000:00:01.0", 0x0c0330, 0x10de, 0x1ad8, "xhci_hcd", 1),
        ("0000:01:00.3", "0000:00:01.0", 0x0c8000, 0x10de, 0x1ad9, "nvidia-gpu", 1),
    ]
    make("turing", turing, describes="an RTX 2080 with USB-C: four functions in one slot",
         cmdline=SEED_ARGS["cmdline"], boot_vga={"0000:01:00.0": 1})
    two = SEED + [
        ("0000:00:01.1", None, 0x060400, 0x8086, 0x1905, "pcieport", 13),
        ("0000:02:00.0", "0000:00:01.1", 0x030000, 0x1002, 0x67df, "amdgpu", 14),
        ("0000:02:00.1", "0000:00:01.1", 0x040300, 0x1002, 0xaaf0, "snd_hda_intel", 14),
    ]
    make("two-dgpu", two, describes="an NVIDIA and an AMD card behind two ports", cmdline=SEED_ARGS["cmdline"])
    # The APU's slot as Cezanne has it (tests/data/README.md, b550itx-cezanne):
    # its GPU and HDMI audio, then the CPU's PSP, USB and HD audio.
    apu = [d for d in SEED if d[0] != "0000:00:02.0"] + [
        ("0000:00:08.1", None, 0x060400, 0x1022, 0x1635, "pcieport", 13),
        ("0000:05:00.0", "0000:00:08.1", 0x030000, 0x1002, 0x1638, "amdgpu", 14),
        ("0000:05:00.1", "0000:00:08.1", 0x040300, 0x1002, 0x1637, "snd_hda_intel", 15),
        ("0000:05:00.2", "0000:00:08.1", 0x108000, 0x1022, 0x15df, "ccp", 16),
        ("0000:05:00.3", "0000:00:08.1", 0x0c0330, 0x1022, 0x1639, "xhci_hcd", 17),
        ("0000:05:00.4", "0000:00:08.1", 0x0c0330, 0x1022, 0x1639, "xhci_hcd", 18),
        ("0000:05:00.6", "0000:00:08.1", 0x040300, 0x1022, 0x15e3, "snd_hda_intel", 19),
    ]
    make("apu", apu, describes="an AMD APU (iGPU behind an internal bridge, beside its PSP, USB and audio) "
         "beside an NVIDIA card", cmdline="BOOT_IMAGE=/vmlinuz ro amd_iommu=on", dmar=False,
         kconfig=SEED_KCONFIG.replace("# CONFIG_AMD_IOMMU is not set", "CONFIG_AMD_IOMMU=y"))


if __name__ == "__main__":
    main()
