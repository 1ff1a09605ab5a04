/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the Mobility Header parser (lib/mh). Any input must
 * parse or fail cleanly; whatever parses must build, and what is built must
 * parse back to the same message (the authentication data aside, which
 * points into the input).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dsa_mh.h"

static void
forget_positions(struct dsa_mh_msg *m)
{
	m->len = 0;
	m->opt.n_unknown = 0;
	m->opt.auth.data = NULL;
	m->opt.auth.opt_off = 0;
	m->opt.auth.data_off = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dsa_mh_msg m, m2;
	uint8_t out[4096];
	size_t len;

	if (dsa_mh_parse(data, size, &m, NULL) != 0)
		return 0;
	if (dsa_mh_build(&m, out, sizeof(out), &len) != 0)
		abort();
	if (dsa_mh_parse(out, len, &m2, NULL) != 0)
		abort();
	if (m.opt.auth.data_len != 0 &&
	        memcmp(m.opt.auth.data, m2.opt.auth.data, m.opt.auth.data_len) != 0)
		abort();
	forget_positions(&m);
	forget_positions(&m2);
	if (memcmp(&m, &m2, sizeof(m)) != 0)
		abort();
	return 0;
}
