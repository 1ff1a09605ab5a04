/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef DSA_BENCH_H
#define DSA_BENCH_H

/**
 * @file
 * Subcommands of dsanchor-bench.
 *
 * Each subcommand is a whole program: it gets argv with argv[0] set to the subcommand's name,
 * initialises the EAL itself if it needs it, and returns the process exit status. main.c only
 * dispatches, so a subcommand can assume nothing else ran in the process before it.
 */

/**
 * Traffic generator and sink over two net_memif server ports (gen.c).
 *
 * @return 0 on success, non-zero exit status otherwise.
 */
int dsa_bench_memif_gen_main(int argc, char **argv);

/**
 * Round trip of a cache line between two CPUs (gen.c): how far apart the hypervisor put them.
 *
 * @return 0 on success, non-zero exit status otherwise.
 */
int dsa_bench_xcore_rtt_main(int argc, char **argv);

/**
 * In-process cycles per packet of the forwarding paths (cycles.c).
 *
 * @return 0 on success, non-zero exit status otherwise.
 */
int dsa_bench_cycles_main(int argc, char **argv);

#endif /* DSA_BENCH_H */
