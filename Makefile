# cvisor: make (build), make run (boot the default rootfs), make test,
# make asan (the tests against an ASan+UBSan build), make bench.
BUILD     ?= build
CC        := gcc
MUSL_CC   := musl-gcc
CFLAGS    := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I$(BUILD)/gen -MMD -MP
LDLIBS    := -lseccomp -lpthread
SANITIZE  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
GUEST_CFLAGS := -O2 -Wall -Wextra -Werror -static

SRCS := $(wildcard abi/*.c platform/ptrace/*.c kernel/*.c)
OBJS := $(SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/platform/ptrace/stub.o
DEPS := $(OBJS:.o=.d)

ROOTFS_PROGS := $(patsubst rootfs/%.c,%,$(wildcard rootfs/*.c))
ROOTFS_BINS  := $(BUILD)/rootfs/sbin/init $(patsubst %,$(BUILD)/rootfs/bin/%,$(filter-out init,$(ROOTFS_PROGS)))

GUEST_TESTS  := $(patsubst tests/guest/%.c,%,$(wildcard tests/guest/*.c))
# Each guest test is built against musl and against glibc (both static).
GUEST_BINS   := $(GUEST_TESTS:%=$(BUILD)/tests/guest/%.musl) $(GUEST_TESTS:%=$(BUILD)/tests/guest/%.glibc)
# Static-PIE variants of a few, to cover the ET_DYN load path (glibc only:
# Debian's musl ships no rcrt1.o).
PIE_TESTS    := hello auxv
PIE_BINS     := $(PIE_TESTS:%=$(BUILD)/tests/guest/%.glibc-pie)
TOOLS        := $(BUILD)/tests/ptyrun $(BUILD)/tools/ptrace_floor $(BUILD)/tools/bench_getppid $(BUILD)/tools/bench_proc \
		$(BUILD)/tools/bench_io $(BUILD)/tools/bench_ipc $(BUILD)/tools/bench_sys

# libFuzzer harnesses (tools/fuzz/fuzz_NAME.c): each links the pure kernel
# parts it names in FUZZ_SRCS_NAME.
FUZZ_CC      := clang
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -I$(BUILD)/gen -iquote kernel \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRCS_elf       := kernel/elf_parse.c
FUZZ_SRCS_guest_mem := kernel/guest_mem.c
FUZZ_SRCS_cmsg      := kernel/cmsg.c
FUZZERS      := $(patsubst tools/fuzz/fuzz_%.c,$(BUILD)/fuzz/fuzz_%,$(wildcard tools/fuzz/fuzz_*.c))
# Seconds each harness runs in `make fuzz`.
FUZZ_TIME    ?= 30

.PHONY: all deps run test asan fuzz fuzzers bench clean
all: $(BUILD)/.deps $(BUILD)/cvisor rootfs guests $(TOOLS)

# Debian packages the build and the tests need; installs only what is missing.
$(BUILD)/.deps: tools/deps.sh
	@mkdir -p $(BUILD)
	@bash tools/deps.sh
	@touch $@
deps: $(BUILD)/.deps

$(BUILD)/gen/syscall_table.h: abi/syscall_64.tbl
	@mkdir -p $(@D)
	awk '!/^#/ && NF == 3 { printf "SYSCALL(%s, %s, \"%s\")\n", $$1, $$2, ($$3 == "." ? "" : $$3) }' $< > $@

$(BUILD)/obj/%.o: %.c $(BUILD)/gen/syscall_table.h | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/cvisor: $(OBJS)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $^ $(LDLIBS)

-include $(DEPS)

rootfs: $(ROOTFS_BINS) $(BUILD)/rootfs/bin/busybox $(BUILD)/rootfs/etc/demo.sh $(BUILD)/rootfs/etc/passwd $(BUILD)/rootfs/etc/group
# Debian's busybox-static is the rootfs's userland: /bin/sh and every applet
# are links to it (never over a demo of ours).
$(BUILD)/rootfs/bin/busybox: /bin/busybox | $(BUILD)/.deps
	@mkdir -p $(@D)
	cp $< $@
	@for a in $$($@ --list); do [ -e $(@D)/$$a ] || [ -L $(@D)/$$a ] || ln -s busybox $(@D)/$$a; done
$(BUILD)/rootfs/etc/%: rootfs/etc/%
	@mkdir -p $(@D)
	cp $< $@
$(BUILD)/rootfs/sbin/init: rootfs/init.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(MUSL_CC) $(GUEST_CFLAGS) -o $@ $<
$(BUILD)/rootfs/bin/%: rootfs/%.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(MUSL_CC) $(GUEST_CFLAGS) -o $@ $<

guests: $(GUEST_BINS) $(PIE_BINS)
$(BUILD)/tests/guest/%.musl: tests/guest/%.c $(wildcard tests/guest/*.h) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(MUSL_CC) $(GUEST_CFLAGS) -o $@ $<
$(BUILD)/tests/guest/%.glibc: tests/guest/%.c $(wildcard tests/guest/*.h) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -o $@ $<
$(BUILD)/tests/guest/%.glibc-pie: tests/guest/%.c $(wildcard tests/guest/*.h) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -fPIE -static-pie -o $@ $<
$(BUILD)/tests/ptyrun: tests/ptyrun.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< -lutil

$(BUILD)/tools/ptrace_floor: tools/bench/ptrace_floor.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<
$(BUILD)/tools/bench_%: tools/bench/bench_%.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(MUSL_CC) $(GUEST_CFLAGS) -o $@ $<

fuzzers: $(FUZZERS)
.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_%: tools/fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) $(BUILD)/gen/syscall_table.h | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_$*)

run: all
	$(BUILD)/cvisor run -- /sbin/init

test: all
	prove -f tests/

# The whole suite against a sanitized cvisor, built apart in build-asan.
asan: all
	$(MAKE) BUILD=build-asan EXTRA_CFLAGS="$(SANITIZE)" build-asan/cvisor
	ln -sfn ../build/rootfs build-asan/rootfs
	CVISOR=build-asan/cvisor ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 prove -f tests/

# Each libFuzzer harness for FUZZ_TIME seconds (new inputs kept in
# build/fuzz/corpus, seeded from tools/fuzz/corpus), then the guest syscall
# fuzzer for 60 s under the ASan+UBSan build.
fuzz: all $(FUZZERS)
	@for f in $(FUZZERS); do n=$${f##*/fuzz_}; mkdir -p $(BUILD)/fuzz/corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_TIME) s"; \
		$$f -max_total_time=$(FUZZ_TIME) -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/$$n- \
			$(BUILD)/fuzz/corpus/$$n tools/fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1; st=$$?; \
		grep -E 'executed_units|ERROR|SUMMARY|artifact' $(BUILD)/fuzz/$$n.log; \
		[ $$st -eq 0 ] || { tail -30 $(BUILD)/fuzz/$$n.log; exit 1; }; done
	$(MAKE) BUILD=build-asan EXTRA_CFLAGS="$(SANITIZE)" build-asan/cvisor
	ln -sfn ../build/rootfs build-asan/rootfs
	CVISOR=build-asan/cvisor FUZZ_SECONDS=60 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 prove -v tests/fuzz.t

# The peers (runsc, proot) are optional: without them their columns show -.
bench: all
	bash tools/deps.sh bench || echo "bench: peers not installed; their columns will show -"
	bash tools/bench/run.sh

clean:
	rm -rf build build-asan
