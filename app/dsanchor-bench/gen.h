/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef DSA_BENCH_GEN_H
#define DSA_BENCH_GEN_H

/**
 * @file
 * memif traffic generator and sink (dsanchor-bench memif-gen).
 *
 * Design note. The test machines have two CPUs, so the generator and the sink are one lcore
 * that transmits and receives in the same loop, and the device under test (DUT) owns the other
 * CPU. The generator is the memif server on both ports: it creates the sockets, the DUT
 * connects to them as a client, and the generator waits until both links are up.
 *
 * Frames are read once from a pcap file (or synthesised) into template mbufs that are never
 * written again. Transmitting takes a reference on a template instead of copying it: memif
 * copies the frame into its shared ring and drops the reference. So the transmit cost per
 * packet is one reference count, whatever the frame size, and the templates stay valid even
 * for a PMD that keeps mbufs after tx_burst.
 *
 * When the DUT's ring is full, the generator waits a little (--tx-backoff) before it tries
 * again: spinning on a full ring keeps pulling the ring's cache lines away from the DUT and
 * slows the very thing being measured.
 *
 * Only the lcore that calls dsa_bench_memif_gen_main() touches any of this; nothing here is
 * thread-safe.
 */

#include <stdint.h>
#include <stdio.h>

/** Largest frame the generator accepts from a pcap file. */
#define GEN_FRAME_MAX 2048

/** Frames read from a pcap file, in file order. */
struct gen_frames {
	uint32_t n;       /**< number of frames */
	uint32_t max_len; /**< longest frame */
	uint64_t bytes;   /**< sum of frame lengths */
	uint16_t *len;    /**< n lengths */
	uint8_t **data;   /**< n frames, each len[i] bytes */
};

/**
 * Read the Ethernet frames of a classic pcap file (microsecond or nanosecond, either byte
 * order, link type 1). Frames longer than GEN_FRAME_MAX are refused, truncated frames
 * (captured length < original length) are refused.
 *
 * @param path  pcap file
 * @param max   read at most this many frames
 * @param out   filled on success; release with gen_frames_free()
 * @param err   where to report why the file was refused (may be NULL)
 * @return 0, -ENOENT/-errno if the file cannot be read, -EINVAL if it is not a pcap file
 *         of Ethernet frames, -E2BIG if a frame is too long, -ENODATA if it holds no frame,
 *         -ENOMEM.
 */
int gen_pcap_read(const char *path, uint32_t max, struct gen_frames *out, FILE *err);

/** Release what gen_pcap_read() allocated. */
void gen_frames_free(struct gen_frames *f);

#endif /* DSA_BENCH_GEN_H */
