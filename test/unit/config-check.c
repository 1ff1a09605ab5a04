/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config-check FILE [PROFILES_DIR]: load FILE with dsa_config_load_file().
 * Prints "ok" and exits 0, or prints the one-line error to stderr and exits 1.
 * Needs no EAL, so the bad-config tests run anywhere.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dsa_config.h"

int
main(int argc, char **argv)
{
	struct dsa_config *cfg;
	char err[DSA_ERR_LEN];
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s FILE [PROFILES_DIR]\n", argv[0]);
		return 2;
	}
	cfg = malloc(sizeof(*cfg)); /* large: keep it off the stack */
	if (cfg == NULL) {
		fprintf(stderr, "%s: out of memory\n", argv[1]);
		return 1;
	}
	rc = dsa_config_load_file(argv[1], argc > 2 ? argv[2] : NULL, cfg, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		free(cfg);
		return 1;
	}
	printf("ok\n");
	dsa_config_free(cfg);
	free(cfg);
	return 0;
}
