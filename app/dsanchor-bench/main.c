/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * dsanchor-bench: one binary, one subcommand per benchmark. Each subcommand parses its own
 * arguments (EAL arguments included), so the dispatcher only strips the program name.
 */

#include <stdio.h>
#include <string.h>

#include "bench.h"

struct subcommand {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "memif-gen", dsa_bench_memif_gen_main,
	        "traffic generator and sink over two memif server ports" },
	{ "xcore-rtt", dsa_bench_xcore_rtt_main,
	        "round trip of a cache line between two CPUs (VM placement probe)" },
	{ "cycles", dsa_bench_cycles_main, "in-process cycles per packet of each forwarding path" },
};

static void
usage(FILE *f, const char *prog)
{
	unsigned int i;

	fprintf(f, "usage: %s <subcommand> [EAL args] -- [options]\n\nsubcommands:\n", prog);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(f, "\n'%s <subcommand> -- --help' describes a subcommand's options.\n", prog);
}

int
main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		usage(stderr, argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	        strcmp(argv[1], "help") == 0) {
		usage(stdout, argv[0]);
		return 0;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].main(argc - 1, argv + 1);

	fprintf(stderr, "%s: unknown subcommand '%s'\n", argv[0], argv[1]);
	usage(stderr, argv[0]);
	return 2;
}
