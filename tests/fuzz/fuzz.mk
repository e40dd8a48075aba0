# The libFuzzer harnesses, built with clang (ASan + UBSan + libFuzzer) from
# the library's own sources: GNU make, called by Makefile.am's fuzz rules
# with srcdir, FUZZ_CC, FUZZ_LIB_SRC, FUZZ_DEPS_CFLAGS, FUZZ_DEPS_LIBS and
# FUZZ_PKGLIBEXECDIR and FUZZ_XSESSIONSDIR (the installed programs' and
# session entries' paths the library names, as AM_CPPFLAGS gives them to
# every other build of it).
FUZZ_TARGETS = conf journal seat kconfig procstat modinfo vmconf edid
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS_F = -g -O1 $(SAN) -I$(srcdir)/src/lib -Isrc/lib -I. -I$(srcdir)/tests/fuzz $(FUZZ_DEPS_CFLAGS) \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-DHELPER_PATH='"$(FUZZ_PKGLIBEXECDIR)/session-switch-helper"' \
	-DXCHECK_PATH='"$(FUZZ_PKGLIBEXECDIR)/session-switch-xcheck"' \
	-DXGUARD_PATH='"$(FUZZ_PKGLIBEXECDIR)/session-switch-xguard"' \
	-DXSESSIONS_DIR='"$(FUZZ_XSESSIONSDIR)"'
OBJDIR = tests/fuzz/obj
LIB_C = $(filter %.c,$(FUZZ_LIB_SRC))
LIB_O = $(patsubst src/lib/%.c,$(OBJDIR)/%.o,$(LIB_C))

all: $(patsubst %,tests/fuzz/fuzz-%,$(FUZZ_TARGETS))

$(OBJDIR)/%.o: $(srcdir)/src/lib/%.c
	@mkdir -p $(OBJDIR)
	@echo "  FUZZCC   $@"; $(FUZZ_CC) $(CFLAGS_F) -fsanitize=fuzzer-no-link -c -o $@ $<

tests/fuzz/fuzz-%: $(srcdir)/tests/fuzz/fuzz-%.c $(srcdir)/tests/fuzz/fuzz.h $(LIB_O)
	@echo "  FUZZLD   $@"; $(FUZZ_CC) $(CFLAGS_F) -fsanitize=fuzzer -o $@ $< $(LIB_O) $(FUZZ_DEPS_LIBS)

.PHONY: all
# the objects are kept: each harness links them all
.SECONDARY: $(LIB_O)
