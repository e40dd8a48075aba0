#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "machine.h"

static int load_config(struct machine *m, const char *config_path, struct ss_error *e)
{
	int fd, r;

	if (config_path) {
		/* A file named on the command line is the user's own: read it as is. */
		fd = open(config_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return ss_fail(e, -errno, "%s: %s", config_path, strerror(errno));
		r = config_parse_fd(fd, config_path, &m->conf, e);
		close(fd);
		return r;
	}
	fd = sysroot_openat(&m->root, SS_DEFAULT_CONFIG, O_RDONLY);
	if (fd == -ENOENT)
		return 0; /* no file: everything comes from detection */
	char shown[PATH_MAX];
	sysroot_show(&m->root, SS_DEFAULT_CONFIG, shown, sizeof(shown));
	if (fd < 0)
		return ss_fail(e, fd, "%s: %s", shown, strerror(-fd));
	r = config_parse_fd(fd, shown, &m->conf, e);
	close(fd);
	return r;
}

static enum machine_fail load_rest(struct machine *m, struct ss_error *e);

enum machine_fail machine_load(struct machine *m, const char *sysroot, const char *config_path,
			       struct ss_error *e)
{
	memset(m, 0, sizeof(*m));
	m->root.fd = -1;
	config_init(&m->conf);
	if (sysroot_open(&m->root, sysroot, e) < 0)
		return MACHINE_SYSTEM;
	if (load_config(m, config_path, e) < 0)
		return MACHINE_CONFIG;
	return load_rest(m, e);
}

enum machine_fail machine_load_real(struct machine *m, const struct ss_config *conf, struct ss_error *e)
{
	memset(m, 0, sizeof(*m));
	m->root.fd = -1;
	m->conf = *conf;
	if (sysroot_open_real(&m->root, e) < 0)
		return MACHINE_SYSTEM;
	return load_rest(m, e);
}

static enum machine_fail load_rest(struct machine *m, struct ss_error *e)
{
	if (pci_scan(&m->root, &m->devs, e) < 0)
		return MACHINE_SYSTEM;
	if (iommu_read_state(&m->root, &m->iommu, e) < 0)
		return MACHINE_SYSTEM;
	if (iommu_read_groups(&m->root, &m->groups, e) < 0)
		return MACHINE_SYSTEM;
	if (kernel_read(&m->root, &m->kernel, e) < 0)
		return MACHINE_SYSTEM;
	if (wayback_load(&m->root, &m->wayback, e) < 0)
		return MACHINE_SYSTEM;
	m->target_err = target_resolve(&m->conf, &m->devs, &m->target, &m->target_msg);
	/* The journal is read even when the target is not: recover needs it
	 * most when a switch died with the functions removed. */
	m->journal_err = journal_load(&m->root, &m->journal, &m->journal_msg);
	if (m->target_err == -EINVAL) {
		*e = m->target_msg;
		return MACHINE_CONFIG;
	}
	if (m->journal_err == 0 && !m->target_err) {
		/* The way back uses the drivers the functions had before the VM. */
		for (size_t i = 0; i < m->target.n; i++) {
			struct target_fn *f = &m->target.fn[i];
			const struct journal_fn *jf = journal_find(&m->journal, &f->addr);
			if (f->host_from == HOST_FROM_UNKNOWN && jf && jf->host[0]) {
				snprintf(f->host_driver, sizeof(f->host_driver), "%s", jf->host);
				f->host_from = HOST_FROM_JOURNAL;
			}
		}
	}
	return MACHINE_OK;
}

void machine_free(struct machine *m)
{
	wayback_free(&m->wayback);
	kernel_free(&m->kernel);
	iommu_groups_free(&m->groups);
	pci_list_free(&m->devs);
	sysroot_close(&m->root);
}
