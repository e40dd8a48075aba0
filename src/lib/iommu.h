/* The IOMMU: whether it is on (and if not, why), its groups, and whether a
 * set of devices can be handed to vfio-pci as whole groups. */
#ifndef SS_IOMMU_H
#define SS_IOMMU_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "pci.h"
#include "strbuf.h"
#include "sysroot.h"

enum iommu_vendor { IOMMU_UNKNOWN, IOMMU_INTEL, IOMMU_AMD };

struct iommu_state {
	bool enabled;		  /* at least one group exists */
	int units;		  /* entries in /sys/class/iommu */
	bool dmar_table;	  /* ACPI DMAR: Intel VT-d described by firmware */
	bool ivrs_table;	  /* ACPI IVRS: AMD-Vi described by firmware */
	char cmd_intel[32];	  /* value of intel_iommu= on the command line, "" if absent */
	char cmd_amd[32];	  /* value of amd_iommu= */
	char cmd_iommu[32];	  /* value of iommu= */
	enum iommu_vendor vendor; /* from the tables, then the command line */
};

struct iommu_group {
	int id;
	struct pci_addr *members; /* PCI members, sorted */
	size_t n;
	size_t other; /* non-PCI members (rare; counted, never passed through) */
};

struct iommu_groups {
	struct iommu_group *g;
	size_t n;
};

int iommu_read_state(const struct sysroot *sr, struct iommu_state *st, struct ss_error *e);
/* One sentence on why the IOMMU is off and what to do, for doctor. */
void iommu_explain_off(const struct iommu_state *st, char *why, size_t wlen, char *fix, size_t flen);

int iommu_read_groups(const struct sysroot *sr, struct iommu_groups *out, struct ss_error *e);
void iommu_groups_free(struct iommu_groups *g);
const struct iommu_group *iommu_group_find(const struct iommu_groups *g, int id);

/* Viability of passing `set` through (doc/design.md step 2): every member of an
 * affected group is in the set, a bridge (stays on its port driver), or
 * unbound / on vfio-pci / pci-stub.  Appends one sentence per problem to
 * reasons (NULL: not wanted), lines separated by newlines, each with the
 * advice the configuration can follow; host_gpu (NULL: none yet) is never
 * offered to the VM.  Returns true when viable. */
bool iommu_viable(const struct iommu_groups *groups, const struct pci_list *devs, const struct pci_addr *set,
		  size_t nset, const struct pci_addr *host_gpu, struct strbuf *reasons);

#endif
