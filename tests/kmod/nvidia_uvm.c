// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for nvidia_uvm (doc/testing.md, Stand-ins): /dev/nvidia-uvm,
 * shared by every NVIDIA GPU; an open file holds nvidia's usage count, and
 * the module depends on nvidia, so it must go first.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

void nvstub_get(void);
void nvstub_put(void);

static int uvm_open(struct inode *inode, struct file *f)
{
	nvstub_get();
	return 0;
}

static int uvm_release(struct inode *inode, struct file *f)
{
	nvstub_put();
	return 0;
}

static const struct file_operations uvm_fops = {
	.owner = THIS_MODULE,
	.open = uvm_open,
	.release = uvm_release,
	.llseek = noop_llseek,
};

static struct miscdevice uvm_dev = { .minor = MISC_DYNAMIC_MINOR, .name = "nvidia-uvm", .fops = &uvm_fops };

static int __init uvm_init(void)
{
	return misc_register(&uvm_dev);
}

static void __exit uvm_exit(void)
{
	misc_deregister(&uvm_dev);
}

module_init(uvm_init);
module_exit(uvm_exit);
MODULE_DESCRIPTION("session-switch test stand-in for nvidia_uvm");
MODULE_LICENSE("GPL");
