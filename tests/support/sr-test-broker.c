/* sr-test-broker.c - a real mosquitto on 127.0.0.1 for the relay tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>

#include "sr-test-broker.h"

struct _SrTestBroker {
	char *dir;
	char *conf;
	char *ca;
	char *url;
	guint port;
	gboolean tls;
	GSubprocess *process;
};

gboolean
sr_test_broker_available(void)
{
	return g_file_test(SR_TEST_MOSQUITTO, G_FILE_TEST_IS_EXECUTABLE);
}

gboolean
sr_test_broker_can_tls(void)
{
	g_autofree char *openssl = g_find_program_in_path("openssl");
	return openssl != NULL;
}

static guint
free_port(void)
{
	struct sockaddr_in addr = {0};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	g_assert_cmpint(fd, >=, 0);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
	g_assert_cmpint(getsockname(fd, (struct sockaddr *)&addr, &len), ==, 0);
	close(fd);
	return ntohs(addr.sin_port);
}

static void
run(const char *cwd, const char *command)
{
	g_autofree char *full = g_strdup_printf("sh -c 'cd \"%s\" && %s'", cwd, command);
	g_autofree char *err = NULL;
	int status = 0;
	g_assert_true(g_spawn_command_line_sync(full, NULL, &err, &status, NULL));
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("%s failed: %s", command, err);
}

/* a CA and a server certificate for localhost and 127.0.0.1, made now, valid for a day */
static void
make_certificates(SrTestBroker *broker)
{
	g_autofree char *ext = g_build_filename(broker->dir, "san.ext", NULL);
	g_assert_true(g_file_set_contents(
	    ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n", -1,
	    NULL));
	run(broker->dir,
	    "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=sirena-test-ca "
	    "-keyout ca.key -out ca.crt 2>/dev/null");
	run(broker->dir, "openssl req -newkey rsa:2048 -nodes -subj /CN=localhost "
	                 "-keyout server.key -out server.csr 2>/dev/null");
	run(broker->dir, "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key "
	                 "-CAcreateserial -days 1 -extfile san.ext -out server.crt 2>/dev/null");
	broker->ca = g_build_filename(broker->dir, "ca.crt", NULL);
}

SrTestBroker *
sr_test_broker_new(const char *dir, gboolean tls)
{
	SrTestBroker *broker = g_new0(SrTestBroker, 1);
	g_autoptr(GString) conf = g_string_new(NULL);

	broker->dir = g_strdup(dir);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	broker->tls = tls;
	broker->port = free_port();
	g_string_append_printf(conf, "listener %u 127.0.0.1\n", broker->port);
	g_string_append(conf, "allow_anonymous true\n");
	/* run as root, mosquitto would become the user "mosquitto", who cannot read this folder */
	g_string_append_printf(conf, "user %s\n", g_get_user_name());
	g_string_append_printf(conf, "persistence true\npersistence_location %s/\n", dir);
	g_string_append(conf, "autosave_interval 1\nautosave_on_changes true\n");
	g_string_append(conf, "max_queued_messages 100000\n");
	g_string_append(conf, "log_dest none\n");
	if (tls) {
		make_certificates(broker);
		g_string_append_printf(conf,
		                       "cafile %s/ca.crt\ncertfile %s/server.crt\nkeyfile "
		                       "%s/server.key\n",
		                       dir, dir, dir);
		broker->url = g_strdup_printf("mqtts://localhost:%u", broker->port);
	} else {
		broker->url = g_strdup_printf("mqtt://127.0.0.1:%u", broker->port);
	}
	broker->conf = g_build_filename(dir, "mosquitto.conf", NULL);
	g_assert_true(g_file_set_contents(broker->conf, conf->str, -1, NULL));
	sr_test_broker_start(broker);
	return broker;
}

static gboolean
port_open(guint port)
{
	struct sockaddr_in addr = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	gboolean ok = FALSE;
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(port);
	ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return ok;
}

/* a test that fails leaves no broker behind */
static void
die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

void
sr_test_broker_start(SrTestBroker *broker)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher =
	    g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	const char *argv[] = {SR_TEST_MOSQUITTO, "-c", broker->conf, NULL};
	g_assert_null(broker->process);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	broker->process = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	while (!port_open(broker->port)) {
		if (g_get_monotonic_time() > deadline)
			g_error("mosquitto did not listen on %u within 10 s", broker->port);
		g_usleep(20000);
	}
}

void
sr_test_broker_stop(SrTestBroker *broker, int signal)
{
	if (broker->process == NULL)
		return;
	g_subprocess_send_signal(broker->process, signal);
	g_assert_true(g_subprocess_wait(broker->process, NULL, NULL));
	g_clear_object(&broker->process);
}

void
sr_test_broker_free(SrTestBroker *broker)
{
	if (broker == NULL)
		return;
	sr_test_broker_stop(broker, SIGTERM);
	g_free(broker->dir);
	g_free(broker->conf);
	g_free(broker->ca);
	g_free(broker->url);
	g_free(broker);
}

guint
sr_test_broker_get_port(SrTestBroker *broker)
{
	return broker->port;
}

const char *
sr_test_broker_get_url(SrTestBroker *broker)
{
	return broker->url;
}

const char *
sr_test_broker_get_ca(SrTestBroker *broker)
{
	return broker->ca;
}
