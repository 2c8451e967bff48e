/* sr-fuzz-main.c - replays fuzz inputs without libFuzzer, so every compiler runs the corpus
 *
 * Usage: fuzz-TARGET FILE|DIR…   every file (and every file in every directory) is one input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static guint
replay(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, &error);
		const char *name = NULL;
		guint count = 0;
		g_assert_no_error(error);
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree char *child = g_build_filename(path, name, NULL);
			count += replay(child);
		}
		return count;
	}
	if (!g_file_get_contents(path, &data, &len, &error))
		g_error("%s", error->message);
	/* a copy of exactly the input's size, so ASan sees any read past its end */
	{
		g_autofree guint8 *copy = g_memdup2(data, len);
		LLVMFuzzerTestOneInput(copy, len);
	}
	return 1;
}

int
main(int argc, char **argv)
{
	guint count = 0;
	for (int i = 1; i < argc; i++)
		count += replay(argv[i]);
	printf("replayed %u inputs\n", count);
	return count > 0 ? 0 : 1;
}
