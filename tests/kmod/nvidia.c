// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for NVIDIA's "nvidia" module, for the reference guest only
 * (doc/testing.md, Stand-ins).  It behaves like the proprietary driver in
 * what a switch meets: it binds the card by driver_override, provides
 * /dev/nvidia0 and /dev/nvidiactl, keeps a usage count (open files plus
 * the legacy persistence mode, which holds the count with no file open),
 * and its PCI remove waits while that count is not zero, the way the real
 * remove loops until its usage count drops.  hang_remove=1 makes the
 * remove wait even at zero, as some real versions do.  It also carries an
 * I2C adapter on the card (the real one has its DDC buses), and
 * /proc/driver/nvidia/gpus/ADDR/information with the card's minor.
 *
 * Test code: it drives no hardware, and one card at most.
 */
#include <linux/fs.h>
#include <linux/i2c.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(nv_wq);
static atomic_t nv_open = ATOMIC_INIT(0);	/* open files of all nodes */
static int persistence;				/* legacy persistence mode */
static bool hang_remove;
static struct pci_dev *nv_card;
static struct proc_dir_entry *nv_proc, *nv_gpus;
static struct i2c_adapter nv_i2c;

static int nv_count(void)
{
	return atomic_read(&nv_open) + (READ_ONCE(persistence) ? 1 : 0);
}

/* Setting persistence to 0 must wake a remove that waits for it. */
static int persistence_set(const char *val, const struct kernel_param *kp)
{
	int r = param_set_int(val, kp);

	wake_up_all(&nv_wq);
	return r;
}
static const struct kernel_param_ops persistence_ops = {
	.set = persistence_set,
	.get = param_get_int,
};
module_param_cb(persistence, &persistence_ops, &persistence, 0644);
MODULE_PARM_DESC(persistence, "legacy persistence mode: 1 holds the usage count with no file open");

static int hang_set(const char *val, const struct kernel_param *kp)
{
	int r = param_set_bool(val, kp);

	wake_up_all(&nv_wq);
	return r;
}
static const struct kernel_param_ops hang_ops = {
	.set = hang_set,
	.get = param_get_bool,
};
module_param_cb(hang_remove, &hang_ops, &hang_remove, 0644);
MODULE_PARM_DESC(hang_remove, "1: the PCI remove never returns, even at a usage count of zero");

static int usage_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", nv_count());
}
static const struct kernel_param_ops usage_ops = { .get = usage_get };
module_param_cb(usage, &usage_ops, NULL, 0444);
MODULE_PARM_DESC(usage, "the usage count the remove waits for (read only)");

/* nvidia_uvm and nvidia_modeset hold the count while their nodes are open. */
void nvstub_get(void)
{
	atomic_inc(&nv_open);
}
EXPORT_SYMBOL_GPL(nvstub_get);

void nvstub_put(void)
{
	if (atomic_dec_return(&nv_open) == 0)
		wake_up_all(&nv_wq);
}
EXPORT_SYMBOL_GPL(nvstub_put);

static int nv_node_open(struct inode *inode, struct file *f)
{
	nvstub_get();
	return 0;
}

static int nv_node_release(struct inode *inode, struct file *f)
{
	nvstub_put();
	return 0;
}

static const struct file_operations nv_fops = {
	.owner = THIS_MODULE,
	.open = nv_node_open,
	.release = nv_node_release,
	.llseek = noop_llseek,
};

static struct miscdevice nv_ctl = { .minor = MISC_DYNAMIC_MINOR, .name = "nvidiactl", .fops = &nv_fops };
static struct miscdevice nv_gpu0 = { .minor = MISC_DYNAMIC_MINOR, .name = "nvidia0", .fops = &nv_fops };

static int nv_info_show(struct seq_file *m, void *v)
{
	seq_printf(m, "Model:\t\t Stand-in GPU\nBus Location:\t %s\nDevice Minor:\t 0\n",
		   pci_name(nv_card));
	return 0;
}

static u32 nv_i2c_func(struct i2c_adapter *a)
{
	return I2C_FUNC_I2C;
}

static int nv_i2c_xfer(struct i2c_adapter *a, struct i2c_msg *msgs, int n)
{
	return -ENXIO; /* no monitor answers here */
}

static const struct i2c_algorithm nv_i2c_algo = {
	.master_xfer = nv_i2c_xfer,
	.functionality = nv_i2c_func,
};

static int nv_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct proc_dir_entry *dir;
	int r;

	if (nv_card)
		return -EBUSY;
	nv_card = pdev;
	/* misc_deregister() leaves the minor it was given in the struct; a
	 * second registration would claim it as a static minor that the
	 * dynamic allocator still hands out (to nvidia_modeset: -EEXIST) */
	nv_gpu0.minor = MISC_DYNAMIC_MINOR;
	r = misc_register(&nv_gpu0);
	if (r)
		goto fail;
	memset(&nv_i2c, 0, sizeof(nv_i2c));
	nv_i2c.owner = THIS_MODULE;
	nv_i2c.algo = &nv_i2c_algo;
	nv_i2c.dev.parent = &pdev->dev;
	strscpy(nv_i2c.name, "NVIDIA i2c adapter 0", sizeof(nv_i2c.name));
	r = i2c_add_adapter(&nv_i2c);
	if (r)
		goto fail_misc;
	dir = proc_mkdir(pci_name(pdev), nv_gpus);
	if (dir)
		proc_create_single("information", 0444, dir, nv_info_show);
	dev_info(&pdev->dev, "stand-in nvidia bound\n");
	return 0;
fail_misc:
	misc_deregister(&nv_gpu0);
fail:
	nv_card = NULL;
	return r;
}

/* Like the real driver: wait, uninterruptibly, for the usage count. */
static void nv_remove(struct pci_dev *pdev)
{
	dev_info(&pdev->dev, "stand-in nvidia remove: usage %d%s\n", nv_count(),
		 hang_remove ? ", hang_remove set" : "");
	wait_event(nv_wq, !READ_ONCE(hang_remove) && nv_count() == 0);
	remove_proc_subtree(pci_name(pdev), nv_gpus);
	i2c_del_adapter(&nv_i2c);
	misc_deregister(&nv_gpu0);
	nv_card = NULL;
}

/* Nothing matches by ID: the card is bound by driver_override alone. */
static const struct pci_device_id nv_ids[] = { { 0 } };

static struct pci_driver nv_driver = {
	.name = "nvidia",
	.id_table = nv_ids,
	.probe = nv_probe,
	.remove = nv_remove,
};

static int __init nv_init(void)
{
	int r;

	nv_proc = proc_mkdir("driver/nvidia", NULL);
	nv_gpus = nv_proc ? proc_mkdir("gpus", nv_proc) : NULL;
	r = misc_register(&nv_ctl);
	if (r)
		goto fail;
	r = pci_register_driver(&nv_driver);
	if (r)
		goto fail_ctl;
	return 0;
fail_ctl:
	misc_deregister(&nv_ctl);
fail:
	proc_remove(nv_proc);
	return r;
}

static void __exit nv_exit(void)
{
	pci_unregister_driver(&nv_driver);
	misc_deregister(&nv_ctl);
	proc_remove(nv_proc);
}

module_init(nv_init);
module_exit(nv_exit);
MODULE_DESCRIPTION("session-switch test stand-in for the nvidia driver");
MODULE_LICENSE("GPL");
