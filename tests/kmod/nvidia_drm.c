// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for nvidia_drm (doc/testing.md, Stand-ins): it depends on
 * nvidia_modeset and nvidia, so while it is loaded neither can be
 * unloaded, as with the real module stack.  It registers no DRM device:
 * the console scenario uses the emulated card's own fbcon instead.
 */
#include <linux/module.h>

int nvstub_modeset_version(void);
void nvstub_get(void);
void nvstub_put(void);

static bool modeset = true;
module_param(modeset, bool, 0444);
MODULE_PARM_DESC(modeset, "kept for the real module's name; changes nothing here");

static int __init drm_stub_init(void)
{
	/* Uses both: modpost records the dependency on each module. */
	nvstub_get();
	nvstub_put();
	return nvstub_modeset_version() == 1 ? 0 : -EINVAL;
}

static void __exit drm_stub_exit(void)
{
}

module_init(drm_stub_init);
module_exit(drm_stub_exit);
MODULE_DESCRIPTION("session-switch test stand-in for nvidia_drm");
MODULE_LICENSE("GPL");
