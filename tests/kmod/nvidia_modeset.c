// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for nvidia_modeset (doc/testing.md, Stand-ins): /dev/nvidia-modeset,
 * shared by every NVIDIA GPU, held open by nvidia_drm's users in the real
 * stack; it depends on nvidia and exports what nvidia_drm uses.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

void nvstub_get(void);
void nvstub_put(void);

static int kms_open(struct inode *inode, struct file *f)
{
	nvstub_get();
	return 0;
}

static int kms_release(struct inode *inode, struct file *f)
{
	nvstub_put();
	return 0;
}

static const struct file_operations kms_fops = {
	.owner = THIS_MODULE,
	.open = kms_open,
	.release = kms_release,
	.llseek = noop_llseek,
};

static struct miscdevice kms_dev = { .minor = MISC_DYNAMIC_MINOR, .name = "nvidia-modeset", .fops = &kms_fops };

/* What nvidia_drm calls: the dependency that makes it hold this module. */
int nvstub_modeset_version(void)
{
	return 1;
}
EXPORT_SYMBOL_GPL(nvstub_modeset_version);

static int __init kms_init(void)
{
	return misc_register(&kms_dev);
}

static void __exit kms_exit(void)
{
	misc_deregister(&kms_dev);
}

module_init(kms_init);
module_exit(kms_exit);
MODULE_DESCRIPTION("session-switch test stand-in for nvidia_modeset");
MODULE_LICENSE("GPL");
