/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Check macros shared by the unit tests: every check counts, a failed one
 * prints where it is (file, line, function and, when set, the context string
 * of set_ctx()) and what failed, and the test goes on. main() ends with
 * "return check_summary();".
 */
#ifndef DSA_TEST_CHECK_H
#define DSA_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int failures;
static int checks;
static char check_ctx[160]; /* what the current checks are about, printed on failure */

/* Failures of CHECK_MANY since the test last set it to 0: only the first few are printed. */
static unsigned long bulk_failures __attribute__((unused));
#define CHECK_MANY_PRINTED 10

/* Set (printf-style) the context printed with each failure. */
static inline void __attribute__((format(printf, 1, 2))) set_ctx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(check_ctx, sizeof(check_ctx), fmt, ap);
	va_end(ap);
}

/* "file:line: function: [context] " */
static inline void
check_where(const char *file, int line, const char *func)
{
	fprintf(stderr, "%s:%d: %s: ", file, line, func);
	if (check_ctx[0] != '\0')
		fprintf(stderr, "[%s] ", check_ctx);
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		checks++;                                                                          \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			check_where(__FILE__, __LINE__, __func__);                                 \
			fprintf(stderr, "check failed: %s\n", #cond);                              \
		}                                                                                  \
	} while (0)

/* Integer equality that prints both values, in decimal and in hex. */
#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		checks++;                                                                          \
		if (a_ != b_) {                                                                    \
			failures++;                                                                \
			check_where(__FILE__, __LINE__, __func__);                                 \
			fprintf(stderr, "%s == %lld (0x%llx), expected %s == %lld (0x%llx)\n", #a, \
			        a_, (unsigned long long)a_, #b, b_, (unsigned long long)b_);       \
		}                                                                                  \
	} while (0)

/* String equality that prints both strings. */
#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		checks++;                                                                          \
		if (strcmp(a_, b_) != 0) {                                                         \
			failures++;                                                                \
			check_where(__FILE__, __LINE__, __func__);                                 \
			fprintf(stderr, "%s is\n  \"%s\"\nexpected\n  \"%s\"\n", #a, a_, b_);      \
		}                                                                                  \
	} while (0)

/* For loops over many entries: count every iteration, print only the first
 * CHECK_MANY_PRINTED failures since bulk_failures was last set to 0. */
#define CHECK_MANY(cond)                                                                           \
	do {                                                                                       \
		checks++;                                                                          \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			if (bulk_failures++ < CHECK_MANY_PRINTED) {                                \
				check_where(__FILE__, __LINE__, __func__);                         \
				fprintf(stderr, "check failed: %s\n", #cond);                      \
			}                                                                          \
		}                                                                                  \
	} while (0)

/* Print the last line, "N checks, N failed", and return the exit status. */
static inline int
check_summary(void)
{
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}

#endif /* DSA_TEST_CHECK_H */
