#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slimconf.h"
#include "strbuf.h"
#include "xorgconf.h"

/* Rewrite the value of xserver_arguments: drop any -config ARG, append ours. */
static void new_args(const char *value, const char *xorg_config, char *out, size_t len)
{
	char copy[1024], *save = NULL, *tok;
	size_t used = 0;

	snprintf(copy, sizeof(copy), "%s", value);
	out[0] = '\0';
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (strcmp(tok, "-config") == 0) {
			strtok_r(NULL, " \t", &save);
			continue;
		}
		int w = snprintf(out + used, len - used, "%s%s", used ? " " : "", tok);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
	}
	snprintf(out + used, len - used, "%s-config %s", used ? " " : "", xorg_config);
}

int slimconf_variant(const char *orig, const char *mode, const char *xorg_config, char **out,
		     struct ss_error *e)
{
	struct strbuf b = { 0 };
	const char *p = orig;
	int found = 0;

	strbuf_printf(&b, "# %s: the slim.conf of %s mode (X on %s); made from your slim.conf, which is "
		      "kept as slim.conf.orig\n", SS_MARKER, mode, xorg_config);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		const char *k = p;
		while (k < p + n && (*k == ' ' || *k == '\t'))
			k++;
		/* An older variant's marker must not pile up. */
		if (strncmp(k, "# " SS_MARKER, strlen("# " SS_MARKER)) == 0) {
			p += n;
			continue;
		}
		if (strncmp(k, "xserver_arguments", 17) == 0 && (k[17] == ' ' || k[17] == '\t')) {
			char value[1024], args[1200];
			const char *v = k + 17;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vlen = (size_t)(p + n - v);
			while (vlen && (v[vlen - 1] == '\n' || v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
				vlen--;
			if (vlen >= sizeof(value)) {
				free(strbuf_take(&b));
				return ss_fail(e, -EINVAL, "slim.conf: xserver_arguments is longer than %zu characters",
					       sizeof(value) - 1);
			}
			memcpy(value, v, vlen);
			value[vlen] = '\0';
			new_args(value, xorg_config, args, sizeof(args));
			strbuf_printf(&b, "xserver_arguments   %s\n", args);
			found = 1;
		} else {
			strbuf_put(&b, p, n);
			if (!nl) /* a last line without newline gets one */
				strbuf_put(&b, "\n", 1);
		}
		p += n;
	}
	if (!found)
		strbuf_printf(&b, "xserver_arguments   -nolisten tcp -config %s\n", xorg_config);
	*out = strbuf_take(&b);
	return *out ? 0 : ss_fail(e, -ENOMEM, "out of memory");
}
