#!/usr/bin/env python3
"""Write the hand-made recorded trees of tests/data from the machine
descriptions below, laid out exactly as tests/record-sysfs records a live
machine: the same files, the same relative symlinks as the kernel's.

Run it from anywhere: python3 tests/data/make-fixtures.py
It rewrites only the trees it describes; recorded ones (no-gpu, guest-q35)
come from tests/record-sysfs and are left alone.  The real machines at the
end are published listings laid out the same way (tests/data/README.md
cites each and says what was synthesised)."""
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
         connectors=None, describes="", ivrs=False, units=("dmar0", "dmar1"), files=None):
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
        for unit in units:
            keep(os.path.join(s, "devices/virtual/iommu", unit))
            link(os.path.join(s, "class/iommu", unit), "../../devices/virtual/iommu/" + unit)
    if dmar:
        w(os.path.join(s, "firmware/acpi/tables/DMAR"), "")
    if ivrs:
        w(os.path.join(s, "firmware/acpi/tables/IVRS"), "")
    for rel, text in (files or {}).items():
        w(os.path.join(root, rel), text)
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


# Two published EDIDs (tests/data/README.md cites them): linuxhw/EDID's
# Digital/Dell/DEL2005/0771A94A1DAD (a Dell D1918H, both blocks) and
# Digital/Goldstar/GSM5B09/0060A26E6AB3 (an LG Ultra HD).
EDID_DELL = """
00 ff ff ff ff ff ff 00 10 ac 05 20 01 01 01 01 06 1c 01 03 80 29 17 78 2a eb c5 a2 57 54 a0 27
0c 50 54 a5 4b 00 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 66 21 56 aa 51 00 1e 30 46 8f
33 00 9a e6 10 00 00 1e 00 00 00 ff 00 32 43 38 46 4a 38 32 35 35 4b 35 45 0a 00 00 00 fc 00 44
31 39 31 38 48 0a 20 20 20 20 20 20 00 00 00 fd 00 38 4b 1e 53 09 00 0a 20 20 20 20 20 20 01 80
02 03 1f f0 4c 10 04 13 03 02 12 11 07 06 16 15 01 23 09 07 01 83 01 00 00 65 03 0c 00 10 00 02
3a 80 18 71 38 2d 40 58 2c 45 00 9a e6 10 00 00 1f 01 1d 00 72 51 d0 1e 20 6e 28 55 00 9a e6 10
00 00 1f 01 1d 00 bc 52 d0 1e 20 b8 28 55 40 9a e6 10 00 00 1e 8c 0a d0 8a 20 e0 2d 10 10 3e 96
00 9a e6 10 00 00 18 8c 0a d0 90 20 40 31 20 0c 40 55 00 9a e6 10 00 00 18 00 00 00 00 00 00 eb
"""
EDID_LG = """
00 ff ff ff ff ff ff 00 1e 6d 09 5b 76 68 01 00 03 1c 01 04 b5 3c 22 78 9e 30 35 a7 55 4e a3 26
0f 50 54 21 08 00 71 40 81 80 81 c0 a9 c0 d1 c0 81 00 01 01 01 01 4d d0 00 a0 f0 70 3e 80 30 20
65 0c 58 54 21 00 00 1a 28 68 00 a0 f0 70 3e 80 08 90 65 0c 58 54 21 00 00 1a 00 00 00 fd 00 38
3d 1e 87 38 00 0a 20 20 20 20 20 20 00 00 00 fc 00 4c 47 20 55 6c 74 72 61 20 48 44 0a 20 01 bd
02 03 11 71 44 90 04 03 01 23 09 07 07 83 01 00 00 02 3a 80 18 71 38 2d 40 58 2c 45 00 58 54 21
00 00 1e 56 5e 00 a0 a0 a0 29 50 30 20 35 00 58 54 21 00 00 1a 00 00 00 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 c8
"""


def edids(name, conns):
    """Each connector's edid (bytes, b"" when nothing is connected) and its
    DDC adapter: a "ddc" link to an i2c-N of the GPU, or an i2c-N directory
    of its own (DP AUX), as i915 and nvidia-drm lay them out."""
    s = os.path.join(HERE, name, "sys/class/drm")
    for conn, (hexes, i2c, own) in conns.items():
        cdir = os.path.join(s, os.readlink(os.path.join(s, conn)))
        with open(os.path.join(cdir, "edid"), "wb") as f:
            f.write(bytes.fromhex(hexes.replace("\n", " ")) if hexes else b"")
        if own:
            keep(os.path.join(cdir, i2c))
        else:
            gpu = os.path.dirname(os.path.dirname(os.path.dirname(cdir)))
            keep(os.path.join(gpu, i2c))
            link(os.path.join(cdir, "ddc"), "../../../" + i2c)


def with_drivers(devs, changes):
    return [(a, p, c, v, d, changes.get(a, drv), g) for a, p, c, v, d, drv, g in devs]


def without_group(devs):
    return devs


# --- real machines --------------------------------------------------------
# Each table is a published listing (tests/data/README.md cites every one):
#   address  parent-bridge  class  vendor:device  driver  IOMMU-group
# '-' is none.  A class of 4 digits gets the prog-if 00, except where the
# listing's device type fixes it (xHCI 30, AHCI 01, NVMe 02).  Parents come
# from the bus numbers where the listing has no tree; drivers marked * in
# the README's table are synthesised where the listing has none.

PROGIF = {"0c03": 0x30, "0106": 0x01, "0108": 0x02}


def table(text):
    devs = []
    for line in text.strip().splitlines():
        if not line.strip():
            continue
        a, parent, cls, ids, drv, grp = line.split()
        c = int(cls, 16) << 8 | PROGIF.get(cls, 0) if len(cls) == 4 else int(cls, 16)
        ven, dev = (int(x, 16) for x in ids.split(":"))
        devs.append(("0000:" + a, None if parent == "-" else "0000:" + parent, c, ven, dev,
                     None if drv == "-" else drv, None if grp == "-" else int(grp)))
    return devs


def kernel(release, vfio="m", iommu=("INTEL", "AMD")):
    """A distribution's kernel as it bears on VFIO: its options, the modules
    it builds in and those it ships (the driver modules are added per tree)."""
    cfg = "CONFIG_IOMMU_SUPPORT=y\nCONFIG_IRQ_REMAP=y\n"
    for v in ("INTEL", "AMD"):
        cfg += "CONFIG_%s_IOMMU=y\n" % v if v in iommu else "# CONFIG_%s_IOMMU is not set\n" % v
    cfg += "".join("CONFIG_%s=%s\n" % (o, vfio) for o in ("VFIO", "VFIO_IOMMU_TYPE1", "VFIO_PCI"))
    cfg += "CONFIG_VFIO_PCI_VGA=y\nCONFIG_DRM=m\n"
    vfio_files = ["kernel/drivers/vfio/vfio.ko", "kernel/drivers/vfio/vfio_iommu_type1.ko",
                  "kernel/drivers/vfio/pci/vfio-pci.ko", "kernel/drivers/pci/pci-stub.ko"]
    builtin = "".join(f + "\n" for f in vfio_files) if vfio == "y" else "kernel/drivers/pci/pci-stub.ko\n"
    dep = "" if vfio == "y" else "".join(f + ":\n" for f in vfio_files[:3])
    return dict(release=release, kconfig=cfg, builtin=builtin, dep=dep)


# where each driver's module lives in a distribution kernel's modules.dep
MODULE_FILES = {
    "nvidia": "updates/dkms/nvidia.ko", "nouveau": "kernel/drivers/gpu/drm/nouveau/nouveau.ko",
    "amdgpu": "kernel/drivers/gpu/drm/amd/amdgpu/amdgpu.ko", "i915": "kernel/drivers/gpu/drm/i915/i915.ko",
    "snd_hda_intel": "kernel/sound/pci/hda/snd-hda-intel.ko", "xhci_hcd": "kernel/drivers/usb/host/xhci-pci.ko",
    "nvidia-gpu": "kernel/drivers/i2c/busses/i2c-nvidia-gpu.ko", "ccp": "kernel/drivers/crypto/ccp/ccp.ko",
    "i2c-designware-pci": "kernel/drivers/i2c/busses/i2c-designware-pci.ko",
}


def with_modules(k, drivers):
    k = dict(k)
    k["dep"] += "".join(MODULE_FILES[d] + ":\n" for d in drivers)
    return k


def conn(card, *pairs):
    return (card, [(name, "connected" if on else "disconnected") for name, on in pairs])


def real(name, devs, source, synthesised, **kw):
    make(name, devs, describes="%s; synthesised: %s" % (source, synthesised), **kw)


# Intel desktop with Pascal: ASRock Z370M-ITX/ac, i5-9400 (UHD 630), GT 1030.
# asokolsky/asokolsky.github.io hardware/duo/{iommu,lspci}.md at a503390.
Z370_GT1030 = table("""
00:00.0 -       0600 8086:3ec2 skl_uncore        1
00:01.0 -       0604 8086:1901 pcieport          2
01:00.0 00:01.0 0300 10de:1d01 -                 2
01:00.1 00:01.0 0403 10de:0fb8 snd_hda_intel     2
00:02.0 -       0300 8086:3e92 i915              0
00:14.0 -       0c03 8086:a2af xhci_hcd          3
00:14.2 -       1180 8086:a2b1 -                 3
00:16.0 -       0780 8086:a2ba mei_me            4
00:17.0 -       0106 8086:a282 ahci              5
00:1c.0 -       0604 8086:a290 pcieport          6
00:1c.5 -       0604 8086:a295 pcieport          7
00:1c.6 -       0604 8086:a296 pcieport          8
00:1d.0 -       0604 8086:a298 pcieport          9
00:1f.0 -       0601 8086:a2c9 -                 10
00:1f.2 -       0580 8086:a2a1 -                 10
00:1f.3 -       0403 8086:a2f0 snd_hda_intel     10
00:1f.4 -       0c05 8086:a2a3 i801_smbus        10
00:1f.6 -       0200 8086:15b8 e1000e            11
03:00.0 00:1c.5 0200 8086:1539 igb               12
04:00.0 00:1c.6 0280 8086:24fb iwlwifi           13
05:00.0 00:1d.0 0108 15b7:5009 nvme              14
""")

# Intel with Turing (four functions): Lenovo ThinkPad P53, i9-9880H (UHD
# 630), Quadro RTX 4000 Mobile.  TommyTran732/QubesOS-Scripts README.md.
P53_RTX4000 = table("""
00:02.0 -       0300 8086:3e9b i915              0
00:00.0 -       0600 8086:3e20 skl_uncore        1
00:01.0 -       0604 8086:1901 pcieport          2
01:00.0 00:01.0 0300 10de:1eb6 nvidia            2
01:00.1 00:01.0 0403 10de:10f8 snd_hda_intel     2
01:00.2 00:01.0 0c03 10de:1ad8 xhci_hcd          2
01:00.3 00:01.0 0c80 10de:1ad9 nvidia-gpu        2
00:04.0 -       1180 8086:1903 proc_thermal      3
00:08.0 -       0880 8086:1911 -                 4
00:12.0 -       1180 8086:a379 intel_pch_thermal 5
00:14.0 -       0c03 8086:a36d xhci_hcd          6
00:14.2 -       0500 8086:a36f -                 6
00:15.0 -       0c80 8086:a368 intel-lpss        7
00:15.1 -       0c80 8086:a369 intel-lpss        7
00:16.0 -       0780 8086:a360 mei_me            8
00:1b.0 -       0604 8086:a340 pcieport          9
00:1b.4 -       0604 8086:a32c pcieport          10
00:1c.0 -       0604 8086:a338 pcieport          11
00:1c.5 -       0604 8086:a33d pcieport          12
00:1c.7 -       0604 8086:a33f pcieport          13
00:1d.0 -       0604 8086:a330 pcieport          14
00:1e.0 -       0780 8086:a328 intel-lpss        15
00:1f.0 -       0601 8086:a30e -                 16
00:1f.3 -       0403 8086:a348 snd_hda_intel     16
00:1f.4 -       0c05 8086:a323 i801_smbus        16
00:1f.5 -       0c80 8086:a324 intel-spi         16
00:1f.6 -       0200 8086:15bb e1000e            16
02:00.0 00:1b.0 0108 1344:5415 nvme              17
03:00.0 00:1b.4 0108 1344:5415 nvme              18
04:00.0 00:1c.0 0604 8086:15ea pcieport          19
05:00.0 04:00.0 0604 8086:15ea pcieport          20
05:01.0 04:00.0 0604 8086:15ea pcieport          21
05:02.0 04:00.0 0604 8086:15ea pcieport          22
05:04.0 04:00.0 0604 8086:15ea pcieport          23
06:00.0 05:00.0 0880 8086:15eb thunderbolt       24
2c:00.0 05:02.0 0c03 8086:15ec xhci_hcd          25
52:00.0 00:1c.5 0280 8086:2723 iwlwifi           26
54:00.0 00:1c.7 ff00 10ec:525a rtsx_pci          27
55:00.0 00:1d.0 0108 1344:5415 nvme              28
""")

# An AMD APU alone: ASRock B550 Phantom Gaming-ITX/ax, Cezanne (Ryzen 5000G),
# no card; booted with pcie_acs_override.  Naunter/Device-Passthrough-Notes
# ASRock-B550-Phantom-Gaming-ITX-ax/README.md.
B550ITX_CEZANNE = table("""
00:01.0 -       0600 1022:1632 -                 0
00:02.0 -       0600 1022:1632 -                 1
00:02.1 -       0604 1022:1634 pcieport          2
00:08.0 -       0600 1022:1632 -                 3
00:08.1 -       0604 1022:1635 pcieport          4
00:14.0 -       0c05 1022:790b piix4_smbus       5
00:14.3 -       0601 1022:790e -                 5
00:18.0 -       0600 1022:166a -                 6
00:18.1 -       0600 1022:166b -                 6
00:18.2 -       0600 1022:166c -                 6
00:18.3 -       0600 1022:166d k10temp           6
00:18.4 -       0600 1022:166e -                 6
00:18.5 -       0600 1022:166f -                 6
00:18.6 -       0600 1022:1670 -                 6
00:18.7 -       0600 1022:1671 -                 6
01:00.0 00:02.1 0c03 1022:43ee xhci_hcd          7
01:00.1 00:02.1 0106 1022:43eb ahci              8
01:00.2 00:02.1 0604 1022:43e9 pcieport          9
02:08.0 01:00.2 0604 1022:43ea pcieport          10
02:09.0 01:00.2 0604 1022:43ea pcieport          11
03:00.0 02:08.0 0200 8086:15f3 igc               12
04:00.0 02:09.0 0280 8086:2723 iwlwifi           13
05:00.0 00:08.1 0300 1002:1638 amdgpu            14
05:00.1 00:08.1 0403 1002:1637 snd_hda_intel     15
05:00.2 00:08.1 1080 1022:15df ccp               16
05:00.3 00:08.1 0c03 1022:1639 xhci_hcd          17
05:00.4 00:08.1 0c03 1022:1639 xhci_hcd          18
05:00.6 00:08.1 0403 1022:15e3 snd_hda_intel     19
""")

# An APU beside a card: MSI B450M Mortar, Raven Ridge (Ryzen 2400G) and an
# RX 470/480/570/580.  A reddit r/VFIO comment, kept in 64kramsystem/
# vga-passthrough 9_SAMPLE_IOMMU_GROUPS.md.
B450M_RAVEN_RX580 = table("""
00:01.0 -       0600 1022:1452 -                 0
00:01.1 -       0604 1022:15d3 pcieport          1
00:01.2 -       0604 1022:15d3 pcieport          2
00:01.6 -       0604 1022:15d3 pcieport          3
00:08.0 -       0600 1022:1452 -                 4
00:08.2 -       0604 1022:15dc pcieport          4
39:00.0 00:08.2 0106 1022:7901 ahci              4
00:08.1 -       0604 1022:15db pcieport          5
00:14.0 -       0c05 1022:790b piix4_smbus       6
00:14.3 -       0601 1022:790e -                 6
00:18.0 -       0600 1022:15e8 -                 7
00:18.1 -       0600 1022:15e9 -                 7
00:18.2 -       0600 1022:15ea -                 7
00:18.3 -       0600 1022:15eb k10temp           7
00:18.4 -       0600 1022:15ec -                 7
00:18.5 -       0600 1022:15ed -                 7
00:18.6 -       0600 1022:15ee -                 7
00:18.7 -       0600 1022:15ef -                 7
10:00.0 00:01.1 0300 1002:67df amdgpu            8
15:00.0 00:01.2 0c03 1022:43d5 xhci_hcd          9
15:00.1 00:01.2 0106 1022:43c8 ahci              9
15:00.2 00:01.2 0604 1022:43c6 pcieport          9
16:00.0 15:00.2 0604 1022:43c7 pcieport          9
16:01.0 15:00.2 0604 1022:43c7 pcieport          9
16:04.0 15:00.2 0604 1022:43c7 pcieport          9
18:00.0 16:01.0 0200 10ec:8168 r8169             9
2e:00.0 00:01.6 0108 144d:a808 nvme              10
38:00.0 00:08.1 0300 1002:15dd amdgpu            11
38:00.1 00:08.1 0403 1002:15de snd_hda_intel     12
38:00.2 00:08.1 1080 1022:15df ccp               12
38:00.3 00:08.1 0c03 1022:15e0 xhci_hcd          12
38:00.4 00:08.1 0c03 1022:15e1 xhci_hcd          12
38:00.6 00:08.1 0403 1022:15e3 snd_hda_intel     12
""")

# X570 with two cards: Gigabyte X570 AORUS PRO WIFI, Ryzen 9 3900X, GTX 1080
# Ti for the VM and a GT 710 for the host.  joe-p/vfio-headless README.md.
MATISSE_ROOT = """
00:01.0 -       0600 1022:1482 -                 0
00:01.1 -       0604 1022:1483 pcieport          1
00:01.2 -       0604 1022:1483 pcieport          2
00:02.0 -       0600 1022:1482 -                 3
00:03.0 -       0600 1022:1482 -                 4
00:03.1 -       0604 1022:1483 pcieport          5
00:03.2 -       0604 1022:1483 pcieport          6
00:04.0 -       0600 1022:1482 -                 7
00:05.0 -       0600 1022:1482 -                 8
00:07.0 -       0600 1022:1482 -                 9
00:07.1 -       0604 1022:1484 pcieport          10
00:08.0 -       0600 1022:1482 -                 11
00:08.1 -       0604 1022:1484 pcieport          12
"""
X570_1080TI_GT710 = table(MATISSE_ROOT + """
00:08.2 -       0604 1022:1484 pcieport          13
00:08.3 -       0604 1022:1484 pcieport          14
00:14.0 -       0c05 1022:790b piix4_smbus       15
00:14.3 -       0601 1022:790e -                 15
00:18.0 -       0600 1022:1440 -                 16
00:18.1 -       0600 1022:1441 -                 16
00:18.2 -       0600 1022:1442 -                 16
00:18.3 -       0600 1022:1443 k10temp           16
00:18.4 -       0600 1022:1444 -                 16
00:18.5 -       0600 1022:1445 -                 16
00:18.6 -       0600 1022:1446 -                 16
00:18.7 -       0600 1022:1447 -                 16
01:00.0 00:01.1 0108 1cc1:5350 nvme              17
02:00.0 00:01.2 0604 1022:57ad pcieport          18
03:01.0 02:00.0 0604 1022:57a3 pcieport          19
03:02.0 02:00.0 0604 1022:57a3 pcieport          20
03:03.0 02:00.0 0604 1022:57a3 pcieport          21
03:04.0 02:00.0 0604 1022:57a3 pcieport          22
03:08.0 02:00.0 0604 1022:57a4 pcieport          23
08:00.0 03:08.0 1300 1022:1485 -                 23
08:00.1 03:08.0 0c03 1022:149c xhci_hcd          23
08:00.3 03:08.0 0c03 1022:149c xhci_hcd          23
03:09.0 02:00.0 0604 1022:57a4 pcieport          24
09:00.0 03:09.0 0106 1022:7901 ahci              24
03:0a.0 02:00.0 0604 1022:57a4 pcieport          25
0a:00.0 03:0a.0 0106 1022:7901 ahci              25
04:00.0 03:01.0 0106 1b21:0612 ahci              26
05:00.0 03:02.0 0280 8086:2723 iwlwifi           27
06:00.0 03:03.0 0200 8086:1539 igb               28
07:00.0 03:04.0 0200 10ec:8161 r8169             29
0b:00.0 00:03.1 0300 10de:1b06 nvidia            30
0b:00.1 00:03.1 0403 10de:10ef snd_hda_intel     30
0c:00.0 00:03.2 0300 10de:128b nvidia            31
0c:00.1 00:03.2 0403 10de:0e0f snd_hda_intel     31
0d:00.0 00:07.1 1300 1022:148a -                 32
0e:00.0 00:08.1 1300 1022:1485 -                 33
0e:00.1 00:08.1 1080 1022:1486 ccp               34
0e:00.3 00:08.1 0c03 1022:149c xhci_hcd          35
0e:00.4 00:08.1 0403 1022:1487 snd_hda_intel     36
0f:00.0 00:08.2 0106 1022:7901 ahci              37
10:00.0 00:08.3 0106 1022:7901 ahci              38
""")

# A Navi card behind its switch ports, beside a card in a chipset slot:
# Gigabyte B550 Aorus Pro, Ryzen 9 3900X, RX 6950 XT for the VM (slot 1) and
# an RX 550 for the host (slot 2, the boot GPU).  MapManagement/
# gpu-passthrough hardware/tested_hardware.md.
MATISSE_B550_ROOT = """
00:01.0 -       0600 1022:1482 -                 0
00:01.1 -       0604 1022:1483 pcieport          1
00:01.2 -       0604 1022:1483 pcieport          2
00:02.0 -       0600 1022:1482 -                 3
00:03.0 -       0600 1022:1482 -                 4
00:03.1 -       0604 1022:1483 pcieport          5
00:04.0 -       0600 1022:1482 -                 6
00:05.0 -       0600 1022:1482 -                 7
00:07.0 -       0600 1022:1482 -                 8
00:07.1 -       0604 1022:1484 pcieport          9
00:08.0 -       0600 1022:1482 -                 10
00:08.1 -       0604 1022:1484 pcieport          11
"""
B550_6950XT_RX550 = table(MATISSE_B550_ROOT + """
00:14.0 -       0c05 1022:790b piix4_smbus       12
00:14.3 -       0601 1022:790e -                 12
00:18.0 -       0600 1022:1440 -                 13
00:18.1 -       0600 1022:1441 -                 13
00:18.2 -       0600 1022:1442 -                 13
00:18.3 -       0600 1022:1443 k10temp           13
00:18.4 -       0600 1022:1444 -                 13
00:18.5 -       0600 1022:1445 -                 13
00:18.6 -       0600 1022:1446 -                 13
00:18.7 -       0600 1022:1447 -                 13
01:00.0 00:01.1 0108 1987:5012 nvme              14
02:00.0 00:01.2 0c03 1022:43ee xhci_hcd          15
02:00.1 00:01.2 0106 1022:43eb ahci              15
02:00.2 00:01.2 0604 1022:43e9 pcieport          15
03:00.0 02:00.2 0604 1022:43ea pcieport          15
03:08.0 02:00.2 0604 1022:43ea pcieport          15
04:00.0 03:00.0 0300 1002:699f amdgpu            15
04:00.1 03:00.0 0403 1002:aae0 snd_hda_intel     15
05:00.0 03:08.0 0200 10ec:8125 r8169             15
06:00.0 00:03.1 0604 1002:1478 pcieport          16
07:00.0 06:00.0 0604 1002:1479 pcieport          17
08:00.0 07:00.0 0300 1002:73a5 amdgpu            18
08:00.1 07:00.0 0403 1002:ab28 snd_hda_intel     19
09:00.0 00:07.1 1300 1022:148a -                 20
0a:00.0 00:08.1 1300 1022:1485 -                 21
0a:00.1 00:08.1 1080 1022:1486 ccp               22
0a:00.3 00:08.1 0c03 1022:149c xhci_hcd          23
0a:00.4 00:08.1 0403 1022:1487 snd_hda_intel     24
""")

# vfio_pci.ids= on the command line: ASUS TUF GAMING B550M-PLUS (WI-FI),
# Ryzen 7 5800X, GT 1030 for the VM (slot 1, the boot GPU) and an RX 550 in
# the chipset slot for the host.  TheRainstorm/hexo-blog source/_posts/
# 2022-07-16-Linux安装windows虚拟机并显卡直通.md (listing with drivers).
B550M_GT1030_RX550 = table(MATISSE_B550_ROOT + """
00:14.0 -       0c05 1022:790b piix4_smbus       12
00:14.3 -       0601 1022:790e -                 12
00:18.0 -       0600 1022:1440 -                 13
00:18.1 -       0600 1022:1441 -                 13
00:18.2 -       0600 1022:1442 -                 13
00:18.3 -       0600 1022:1443 k10temp           13
00:18.4 -       0600 1022:1444 -                 13
00:18.5 -       0600 1022:1445 -                 13
00:18.6 -       0600 1022:1446 -                 13
00:18.7 -       0600 1022:1447 -                 13
01:00.0 00:01.1 0108 144d:a80a nvme              14
02:00.0 00:01.2 0c03 1022:43ee xhci_hcd          15
02:00.1 00:01.2 0106 1022:43eb ahci              15
02:00.2 00:01.2 0604 1022:43e9 pcieport          15
03:00.0 02:00.2 0604 1022:43ea pcieport          15
03:04.0 02:00.2 0604 1022:43ea pcieport          15
03:08.0 02:00.2 0604 1022:43ea pcieport          15
03:09.0 02:00.2 0604 1022:43ea pcieport          15
04:00.0 03:00.0 0300 1002:67ff amdgpu            15
04:00.1 03:00.0 0403 1002:aae0 snd_hda_intel     15
05:00.0 03:04.0 0108 1e0f:0009 nvme              15
06:00.0 03:08.0 0280 8086:2723 iwlwifi           15
07:00.0 03:09.0 0200 10ec:8125 r8169             15
08:00.0 00:03.1 0300 10de:1d01 vfio-pci          16
08:00.1 00:03.1 0403 10de:0fb8 vfio-pci          16
09:00.0 00:07.1 1300 1022:148a -                 17
0a:00.0 00:08.1 1300 1022:1485 -                 18
0a:00.1 00:08.1 1080 1022:1486 ccp               19
0a:00.3 00:08.1 0c03 1022:149c xhci_hcd          20
0a:00.4 00:08.1 0403 1022:1487 snd_hda_intel     21
""")

# A Threadripper with three cards: TRX40 (four root complexes), a Quadro
# K420 for the host and two RTX A6000 for two VMs; the owner's command line
# misspells vfio-pci.ids (the kernel ignores "vifo-pci.ids").  Jadon-Harris/
# Jadon-Harris.github.io _posts/2021-9-28-PCI-passthough-ubuntu2004.md.
def starship_die(b, g0, ports):
    """a Starship die's root bus: dummy host bridges, the GPP ports given,
    the internal bridges 07.1 and 08.1 (groups numbered from g0)"""
    rows, g = [], g0
    for dev in ("01.0", "01.1", "01.2", "02.0", "03.0", "03.1", "04.0", "05.0", "07.0", "07.1", "08.0", "08.1"):
        if dev.endswith(".0"):
            rows.append("%s:%s -       0600 1022:1482 -                 %d" % (b, dev, g))
        elif dev in ports or dev in ("07.1", "08.1"):
            rows.append("%s:%s -       0604 1022:%s pcieport          %d" % (b, dev, "1484" if dev[:2] in ("07", "08") else "1483", g))
        else:
            continue
        g += 1
    return "\n".join(rows) + "\n"


TRX40_K420_2XA6000 = table(starship_die("60", 0, ("03.1",)) + """
61:00.0 60:03.1 0300 10de:2230 nvidia            10
61:00.1 60:03.1 0403 10de:1aef snd_hda_intel     10
62:00.0 60:07.1 1300 1022:148a -                 11
63:00.0 60:08.1 1300 1022:1485 -                 12
""" + starship_die("40", 13, ("01.1", "03.1")) + """
41:00.0 40:01.1 0300 10de:0ff3 nvidia            24
41:00.1 40:01.1 0403 10de:0e1b snd_hda_intel     24
42:00.0 40:03.1 0300 10de:2230 nvidia            25
42:00.1 40:03.1 0403 10de:1aef snd_hda_intel     25
43:00.0 40:07.1 1300 1022:148a -                 26
44:00.0 40:08.1 1300 1022:1485 -                 27
""" + starship_die("20", 28, ("01.1", "01.2", "03.1")) + """
21:00.0 20:01.1 0108 144d:a80a nvme              40
22:00.0 20:01.2 0108 144d:a80a nvme              41
23:00.0 20:03.1 0200 8086:1521 igb               42
23:00.1 20:03.1 0200 8086:1521 igb               43
24:00.0 20:07.1 1300 1022:148a -                 44
25:00.0 20:08.1 1300 1022:1485 -                 45
25:00.1 20:08.1 1080 1022:1486 ccp               46
25:00.3 20:08.1 0c03 1022:148c xhci_hcd          47
""" + starship_die("00", 48, ("01.1", "03.1")) + """
00:14.0 -       0c05 1022:790b piix4_smbus       59
00:14.3 -       0601 1022:790e -                 59
00:18.0 -       0600 1022:1490 -                 60
00:18.1 -       0600 1022:1491 -                 60
00:18.2 -       0600 1022:1492 -                 60
00:18.3 -       0600 1022:1493 k10temp           60
00:18.4 -       0600 1022:1494 -                 60
00:18.5 -       0600 1022:1495 -                 60
00:18.6 -       0600 1022:1496 -                 60
00:18.7 -       0600 1022:1497 -                 60
01:00.0 00:01.1 0200 1d6a:07b1 atlantic          61
02:00.0 00:03.1 0604 1022:57ad pcieport          62
03:08.0 02:00.0 0604 1022:57a4 pcieport          63
04:00.0 03:08.0 1300 1022:1485 -                 63
04:00.1 03:08.0 0c03 1022:149c xhci_hcd          63
04:00.3 03:08.0 0c03 1022:149c xhci_hcd          63
03:09.0 02:00.0 0604 1022:57a4 pcieport          64
05:00.0 03:09.0 0106 1022:7901 ahci              64
03:0a.0 02:00.0 0604 1022:57a4 pcieport          65
06:00.0 03:0a.0 0106 1022:7901 ahci              65
07:00.0 00:07.1 1300 1022:148a -                 66
08:00.0 00:08.1 1300 1022:1485 -                 67
08:00.3 00:08.1 0c03 1022:148c xhci_hcd          68
""")

# An Optimus laptop: Dell XPS 15 9570, i7-8750H (UHD 630), GTX 1050 Ti
# Mobile as a 3D controller.  Gentoo Wiki, "Dell XPS 15 9570" (lspci -nnk).
# The groups follow the ThinkPad P53's published ones (same CPU and PCH).
XPS9570_OPTIMUS = table("""
00:00.0 -       0600 8086:3ec4 skl_uncore        1
00:01.0 -       0604 8086:1901 pcieport          2
01:00.0 00:01.0 0302 10de:1c8c nvidia            2
00:02.0 -       0300 8086:3e9b i915              0
00:04.0 -       1180 8086:1903 proc_thermal      3
00:08.0 -       0880 8086:1911 -                 4
00:12.0 -       1180 8086:a379 intel_pch_thermal 5
00:14.0 -       0c03 8086:a36d xhci_hcd          6
00:14.2 -       0500 8086:a36f -                 6
00:15.0 -       0c80 8086:a368 intel-lpss        7
00:15.1 -       0c80 8086:a369 intel-lpss        7
00:16.0 -       0780 8086:a360 mei_me            8
00:17.0 -       0106 8086:a353 ahci              9
00:1b.0 -       0604 8086:a340 pcieport          10
00:1c.0 -       0604 8086:a338 pcieport          11
00:1c.4 -       0604 8086:a33c pcieport          12
00:1d.0 -       0604 8086:a330 pcieport          13
00:1f.0 -       0601 8086:a30e -                 14
00:1f.3 -       0403 8086:a348 snd_hda_intel     14
00:1f.4 -       0c05 8086:a323 i801_smbus        14
00:1f.5 -       0c80 8086:a324 -                 14
02:00.0 00:1b.0 0604 8086:15da pcieport          15
03:00.0 02:00.0 0604 8086:15da pcieport          16
03:01.0 02:00.0 0604 8086:15da pcieport          17
03:02.0 02:00.0 0604 8086:15da pcieport          18
3a:00.0 03:02.0 0c03 8086:15db xhci_hcd          19
3b:00.0 00:1c.0 0280 168c:003e ath10k_pci        20
3c:00.0 00:1c.4 ff00 10ec:525a rtsx_pci          21
3d:00.0 00:1d.0 0108 1179:0116 nvme              22
""")

# Intel with Turing and vfio-pci.ids= naming the card (and its root port):
# i7-7700 (HD 630), RTX 2060 (TU104, four functions), Arch Linux 6.2.6.
# keminar/linux-tools gpu-passthrough/README.md: group 2 and the command
# line are published; the host bridge and the iGPU's row are not.
I7700_RTX2060_IDS = table("""
00:00.0 -       0600 8086:591f skl_uncore        0
00:02.0 -       0300 8086:5912 i915              1
00:14.0 -       0c03 8086:a2af xhci_hcd          3
00:01.0 -       0604 8086:1901 pcieport          2
01:00.0 00:01.0 0300 10de:1e89 vfio-pci          2
01:00.1 00:01.0 0403 10de:10f8 vfio-pci          2
01:00.2 00:01.0 0c03 10de:1ad8 vfio-pci          2
01:00.3 00:01.0 0c80 10de:1ad9 vfio-pci          2
""")

# An APU alone, its whole slot handed to vfio-pci by modprobe.d: ASRock
# 4X4 BOX (Ryzen 3 4300U, Renoir), Proxmox.  thieuson1984/
# amd-4300u-proxmox-passthrough README.md: the slot's seven functions, the
# command line and both modprobe.d files are published.
NUC4300U_MODPROBE = table("""
00:00.0 -       0600 1022:1630 -                 -
00:08.0 -       0600 1022:1632 -                 0
00:08.1 -       0604 1022:1635 pcieport          1
05:00.0 00:08.1 0300 1002:1636 vfio-pci          2
05:00.1 00:08.1 0403 1002:1637 vfio-pci          3
05:00.2 00:08.1 1080 1022:15df vfio-pci          4
05:00.3 00:08.1 0c03 1022:1639 vfio-pci          5
05:00.4 00:08.1 0c03 1022:1639 vfio-pci          6
05:00.5 00:08.1 0480 1022:15e2 vfio-pci          7
05:00.6 00:08.1 0403 1022:15e3 vfio-pci          8
""")


def real_machines():
    amd = dict(dmar=False, ivrs=True, units=("ivhd0",))
    ubuntu = with_modules(kernel("6.8.0-49-generic"), ["nvidia", "nouveau", "i915", "snd_hda_intel", "xhci_hcd"])
    real("z370-gt1030", Z370_GT1030, "asokolsky/asokolsky.github.io hardware/duo at a503390",
         "parents from bus numbers, prog-ifs, subsystem IDs, boot_vga, DRM cards and connectors, sound cards, "
         "kernel config and module lists",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-6.8.0-49-generic root=UUID=9ff8c203-950b-4f46-8c41-6e994151ecd3 ro quiet splash",
         boot_vga={"0000:00:02.0": 1}, drm={"0000:00:02.0": ["card0", "renderD128"]},
         connectors={"0000:00:02.0": conn("card0", ("DP-1", False), ("HDMI-A-1", True))},
         sound={"0000:00:1f.3": "card0", "0000:01:00.1": "card1"}, **ubuntu)
    debian = with_modules(kernel("6.1.0-18-amd64"), ["nvidia", "nouveau", "i915", "snd_hda_intel", "xhci_hcd",
                                                     "nvidia-gpu"])
    real("p53-rtx4000", P53_RTX4000, "TommyTran732/QubesOS-Scripts README.md",
         "drivers, parents from bus numbers, prog-ifs, subsystem IDs, boot_vga, DRM cards and connectors, sound "
         "cards, command line, kernel config and module lists",
         cmdline="BOOT_IMAGE=/vmlinuz-6.1.0-18-amd64 root=/dev/mapper/root ro quiet intel_iommu=on",
         boot_vga={"0000:00:02.0": 1},
         drm={"0000:00:02.0": ["card0", "renderD128"], "0000:01:00.0": ["card1", "renderD129"]},
         connectors={"0000:00:02.0": conn("card0", ("eDP-1", True)),
                     "0000:01:00.0": conn("card1", ("DP-1", True), ("HDMI-A-1", False))},
         sound={"0000:00:1f.3": "card0", "0000:01:00.1": "card1"}, **debian)
    cezanne_k = with_modules(kernel("6.1.0-13-amd64"), ["amdgpu", "snd_hda_intel", "xhci_hcd", "ccp"])
    real("b550itx-cezanne", B550ITX_CEZANNE, "Naunter/Device-Passthrough-Notes ASRock-B550-Phantom-Gaming-ITX-ax/README.md",
         "drivers, parents from bus numbers, prog-ifs, subsystem IDs, boot_vga, DRM cards and connectors, the "
         "rest of the command line, kernel config and module lists",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=/dev/nvme0n1p2 ro quiet "
                 "pcie_acs_override=downstream,multifunction",
         boot_vga={"0000:05:00.0": 1}, drm={"0000:05:00.0": ["card0", "renderD128"]},
         connectors={"0000:05:00.0": conn("card0", ("HDMI-A-1", True), ("DP-1", False))},
         sound={"0000:05:00.1": "card0", "0000:05:00.6": "card1"}, **amd, **cezanne_k)
    raven_k = with_modules(kernel("5.4.0-42-generic"), ["amdgpu", "snd_hda_intel", "xhci_hcd", "ccp"])
    real("b450m-raven-rx580", B450M_RAVEN_RX580, "a reddit r/VFIO comment kept in 64kramsystem/vga-passthrough "
         "9_SAMPLE_IOMMU_GROUPS.md", "drivers, parents from bus numbers, prog-ifs, subsystem IDs, boot_vga, DRM "
         "cards and connectors, sound cards, command line, kernel config and module lists",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-5.4.0-42-generic root=/dev/nvme0n1p2 ro quiet amd_iommu=on iommu=pt",
         boot_vga={"0000:38:00.0": 1},
         drm={"0000:38:00.0": ["card1", "renderD129"], "0000:10:00.0": ["card0", "renderD128"]},
         connectors={"0000:38:00.0": conn("card1", ("HDMI-A-1", True)),
                     "0000:10:00.0": conn("card0", ("DP-1", True), ("HDMI-A-2", False))},
         sound={"0000:38:00.1": "card0", "0000:38:00.6": "card1"}, **amd, **raven_k)
    x570_k = with_modules(kernel("5.4.0-26-generic"), ["nvidia", "snd_hda_intel", "xhci_hcd", "ccp"])
    real("x570-1080ti-gt710", X570_1080TI_GT710, "joe-p/vfio-headless README.md",
         "drivers, parents from bus numbers, prog-ifs, subsystem IDs, boot_vga, DRM cards and connectors, sound "
         "cards, command line, kernel config and module lists",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-5.4.0-26-generic root=/dev/nvme0n1p2 ro quiet amd_iommu=on iommu=pt",
         boot_vga={"0000:0c:00.0": 1},
         drm={"0000:0b:00.0": ["card0", "renderD128"], "0000:0c:00.0": ["card1", "renderD129"]},
         connectors={"0000:0b:00.0": conn("card0", ("DP-1", True), ("DP-2", False), ("HDMI-A-1", False)),
                     "0000:0c:00.0": conn("card1", ("HDMI-A-2", True), ("DVI-D-1", False))},
         sound={"0000:0b:00.1": "card1", "0000:0c:00.1": "card2", "0000:0e:00.4": "card0"}, **amd, **x570_k)
    b550_k = with_modules(kernel("5.15.0-48-generic"), ["amdgpu", "snd_hda_intel", "xhci_hcd", "ccp"])
    real("b550-6950xt-rx550", B550_6950XT_RX550, "MapManagement/gpu-passthrough hardware/tested_hardware.md",
         "drivers, parents from bus numbers, prog-ifs, subsystem IDs, DRM cards and connectors, sound cards, "
         "command line, kernel config and module lists (boot_vga follows the owner's \"booting GPU: slot 2\")",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-5.15.0-48-generic root=/dev/nvme0n1p2 ro quiet amd_iommu=on iommu=pt",
         boot_vga={"0000:04:00.0": 1},
         drm={"0000:04:00.0": ["card0", "renderD128"], "0000:08:00.0": ["card1", "renderD129"]},
         connectors={"0000:04:00.0": conn("card0", ("HDMI-A-1", True), ("DP-1", False)),
                     "0000:08:00.0": conn("card1", ("DP-2", True), ("DP-3", False), ("HDMI-A-2", False))},
         sound={"0000:04:00.1": "card1", "0000:08:00.1": "card2", "0000:0a:00.4": "card0"}, **amd, **b550_k)
    b550m_k = with_modules(kernel("5.15.0-41-generic"), ["nouveau", "amdgpu", "snd_hda_intel", "xhci_hcd", "ccp"])
    real("b550m-gt1030-rx550", B550M_GT1030_RX550, "TheRainstorm/hexo-blog source/_posts/"
         "2022-07-16-Linux安装windows虚拟机并显卡直通.md", "parents from bus numbers, prog-ifs, subsystem IDs, "
         "driver_override, DRM cards and connectors, sound cards, BOOT_IMAGE and root= of the command line, "
         "kernel config and module lists (boot_vga follows the owner's note that slot 1 boots)",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-5.15.0-41-generic root=/dev/nvme0n1p2 ro quiet splash amd_iommu=on "
                 "vfio_pci.ids=10de:1d01,10de:0fb8 kvm.ignore_msrs=1",
         boot_vga={"0000:08:00.0": 1}, drm={"0000:04:00.0": ["card0", "renderD128"]},
         connectors={"0000:04:00.0": conn("card0", ("HDMI-A-1", True), ("DP-1", False))},
         sound={"0000:04:00.1": "card1", "0000:0a:00.4": "card0"}, **amd, **b550m_k)
    trx_k = with_modules(kernel("5.11.0-37-generic"), ["nvidia", "snd_hda_intel", "xhci_hcd", "ccp"])
    real("trx40-k420-2xa6000", TRX40_K420_2XA6000, "Jadon-Harris/Jadon-Harris.github.io "
         "_posts/2021-9-28-PCI-passthough-ubuntu2004.md", "drivers, parents from bus numbers, prog-ifs, subsystem "
         "IDs, boot_vga, DRM cards and connectors, sound cards, BOOT_IMAGE and root= of the command line, kernel "
         "config and module lists",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-5.11.0-37-generic root=/dev/nvme0n1p2 ro amd_iommu=on iommu=pt "
                 "vifo-pci.ids=10de:2230",
         boot_vga={"0000:41:00.0": 1},
         drm={"0000:41:00.0": ["card0", "renderD128"], "0000:42:00.0": ["card1", "renderD129"],
              "0000:61:00.0": ["card2", "renderD130"]},
         connectors={"0000:41:00.0": conn("card0", ("DP-1", True), ("DVI-I-1", False)),
                     "0000:42:00.0": conn("card1", ("DP-2", False), ("DP-3", False)),
                     "0000:61:00.0": conn("card2", ("DP-4", False), ("DP-5", False))},
         sound={"0000:41:00.1": "card0", "0000:42:00.1": "card1", "0000:61:00.1": "card2"},
         units=("ivhd0", "ivhd1", "ivhd2", "ivhd3"), dmar=False, ivrs=True, **trx_k)
    gentoo = with_modules(kernel("4.20.0-gentoo", vfio="y", iommu=("INTEL",)), ["nvidia", "i915", "snd_hda_intel"])
    real("xps9570-optimus", XPS9570_OPTIMUS, "Gentoo Wiki, Dell XPS 15 9570 (lspci -nnk)",
         "IOMMU groups (after the ThinkPad P53's, same CPU and PCH), parents from bus numbers, prog-ifs, subsystem "
         "IDs, boot_vga, DRM cards and connectors, sound cards, command line, kernel config and module lists",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-4.20.0-gentoo root=/dev/nvme0n1p3 ro intel_iommu=on",
         boot_vga={"0000:00:02.0": 1},
         drm={"0000:00:02.0": ["card0", "renderD128"], "0000:01:00.0": ["card1", "renderD129"]},
         connectors={"0000:00:02.0": conn("card0", ("eDP-1", True), ("DP-1", False), ("HDMI-A-1", False))},
         sound={"0000:00:1f.3": "card0"}, **gentoo)
    arch = with_modules(kernel("6.2.6-arch1-1"), ["nouveau", "i915", "snd_hda_intel", "xhci_hcd", "nvidia-gpu"])
    real("i7700-rtx2060-ids", I7700_RTX2060_IDS, "keminar/linux-tools gpu-passthrough/README.md",
         "the host bridge, the chipset's xHCI and the iGPU's rows (the iGPU is named in the post), every group but 2, the drivers of "
         "01:00.1-3 (the post's dmesg shows vfio-pci taking all four IDs), driver_override, subsystem IDs, "
         "boot_vga, DRM cards and connectors, BOOT_IMAGE and root= of the command line, kernel config and module "
         "lists (with nouveau, the only GPU module the post's lspci lists)",
         cmdline="BOOT_IMAGE=/vmlinuz-linux root=/dev/sda2 rw intel_iommu=on iommu=pt loglevel=3 quiet "
                 "vfio-pci.ids=8086:1901,10de:1e89,10de:10f8,10de:1ad8,10de:1ad9",
         boot_vga={"0000:00:02.0": 1}, drm={"0000:00:02.0": ["card0", "renderD128"]},
         connectors={"0000:00:02.0": conn("card0", ("HDMI-A-1", True), ("DP-1", False))}, **arch)
    pve = with_modules(kernel("6.5.13-5-pve", vfio="y"), ["amdgpu", "snd_hda_intel", "xhci_hcd", "ccp"])
    real("nuc4300u-modprobe", NUC4300U_MODPROBE, "thieuson1984/amd-4300u-proxmox-passthrough README.md",
         "the host bridge, the internal bridge 00:08.1 (Renoir's), the groups (the owner boots with "
         "pcie_acs_override), the drivers (vfio-pci, as vfio.conf makes them), subsystem IDs, boot_vga, "
         "BOOT_IMAGE and root= of the command line, kernel config and module lists",
         cmdline="BOOT_IMAGE=/boot/vmlinuz-6.5.13-5-pve root=/dev/mapper/pve-root ro amd-pstate=passive quiet "
                 "video=efifb:off initcall_blacklist=sysfb_init textonly iommu=pt "
                 "pcie_acs_override=downstream,multifunction",
         boot_vga={"0000:05:00.0": 1},
         files={"etc/modprobe.d/blacklist.conf": "blacklist radeon\nblacklist amdgpu\nblacklist snd_hda_intel\n",
                "etc/modprobe.d/vfio.conf": "options vfio-pci ids=1002:1636,1002:1637,1022:15df,1022:1639,"
                "1022:15e2,1022:15e3 disable_vga=1\nsoftdep radeon pre: vfio-pci\nsoftdep amdgpu pre: vfio-pci\n"
                "softdep snd_hda_intel pre: vfio-pci\n"},
         **amd, **pve)


def main():
    make("seed", SEED, describes="the seed's i7-8700K + GTX 1080 workstation, host mode", **SEED_ARGS)
    vm = with_drivers(SEED, {"0000:01:00.0": "vfio-pci", "0000:01:00.1": "vfio-pci"})
    args = dict(SEED_ARGS, drm={"0000:00:02.0": ["card0", "renderD128"]},
                connectors={"0000:00:02.0": SEED_CONN["0000:00:02.0"]}, sound={"0000:00:1f.3": "card0"})
    # The seed with its monitors' EDIDs: the Dell on the iGPU's DP-1 and
    # the GTX's DP-1 (one monitor, two inputs), the LG on the GTX's DP-2.
    make("seed-ddc", SEED, describes="the seed machine with two published EDIDs on its connectors", **SEED_ARGS)
    edids("seed-ddc", {"card0-DP-1": (EDID_DELL, "i2c-5", True), "card0-HDMI-A-1": ("", "i2c-6", False),
                       "card1-DP-1": (EDID_DELL, "i2c-3", False), "card1-DP-2": (EDID_LG, "i2c-4", False)})
    make("seed-ddc-vm", vm, overrides={"0000:01:00.0": "vfio-pci", "0000:01:00.1": "vfio-pci"},
         describes="seed-ddc in vm mode: the GTX's connectors are gone", **args)
    edids("seed-ddc-vm", {"card0-DP-1": (EDID_DELL, "i2c-5", True), "card0-HDMI-A-1": ("", "i2c-6", False)})
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
    real_machines()
