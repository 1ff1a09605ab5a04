/* SPDX-License-Identifier: BSD-3-Clause */
#include "dsa_counters.h"

const char *const dsa_counter_names[DSA_CNT_MAX] = {
#define X(e, n, h) [DSA_CNT_##e] = #n,
	DSA_COUNTERS(X)
#undef X
};

const char *const dsa_counter_help[DSA_CNT_MAX] = {
#define X(e, n, h) [DSA_CNT_##e] = h,
	DSA_COUNTERS(X)
#undef X
};

const char *const dsa_drop_names[DSA_DROP_MAX] = { [DSA_DROP_NONE] = "none",
#define X(e, n, h) [DSA_DROP_##e] = #n,
	DSA_DROPS(X)
#undef X
};

const char *const dsa_drop_help[DSA_DROP_MAX] = { [DSA_DROP_NONE] = "not dropped",
#define X(e, n, h) [DSA_DROP_##e] = h,
	DSA_DROPS(X)
#undef X
};
