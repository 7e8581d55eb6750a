/*
 * kafka_mock.c: lm-kafka-mock — a Kafka-protocol broker for tests and for
 * trying Laminar without a Kafka installation.
 *
 * Starts librdkafka's mock cluster (rdkafka_mock.h) with N brokers on
 * 127.0.0.1, prints "bootstrap=127.0.0.1:PORT[,...]" on stdout (one line,
 * flushed), creates the topics named by --topic NAME:PARTITIONS, and runs
 * until SIGTERM/SIGINT or end of input on stdin (so a test that dies takes
 * its broker with it).  Topics can also be created later by writing
 * "topic NAME PARTITIONS" lines on stdin (answered "ok" / "error ...").
 *
 * Limits of librdkafka 2.0's mock cluster (checked against its sources):
 * everything lives in memory; producers, consumers, consumer groups (join,
 * sync, offset commit/fetch) and the transactional producer protocol
 * (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn) are served,
 * but the mock does NOT write transaction control markers and its Fetch
 * answers LastStableOffset = high watermark with no aborted-transaction
 * list: a read_committed consumer therefore also sees records of aborted
 * and still-open transactions.  Exactly-once across aborts can only be
 * observed against a real broker; with the mock, a test sees that nothing
 * committed is lost and nothing is duplicated by committed transactions.
 * ListOffsets by timestamp is not implemented (returns -1).  Each partition
 * keeps only its most recent ~5 MB of records (older ones are pruned and
 * answer "Offset out of range"): benchmarks spread their data over enough
 * partitions to stay below that.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: lm-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...\n"
                    "Prints bootstrap=HOST:PORT,... and serves until SIGTERM or stdin EOF.\n"
                    "stdin commands: topic NAME PARTITIONS\n");
}

static int create_topic(rd_kafka_mock_cluster_t *mc, const char *spec, int brokers)
{
    char name[256];
    const char *colon = strrchr(spec, ':');
    int parts = 1;
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (n == 0 || n >= sizeof name)
        return -1;
    memcpy(name, spec, n);
    name[n] = '\0';
    if (colon) {
        parts = atoi(colon + 1);
        if (parts <= 0)
            return -1;
    }
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(mc, name, parts, brokers < 3 ? brokers : 3);
    if (err) {
        fprintf(stderr, "lm-kafka-mock: topic %s: %s\n", name, rd_kafka_err2str(err));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int brokers = 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc)
            brokers = atoi(argv[++i]);
    if (brokers <= 0 || brokers > 16) {
        usage();
        return 2;
    }

    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    /* A handle only to host the mock cluster's thread; it never talks to anyone. */
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (rk == NULL) {
        fprintf(stderr, "lm-kafka-mock: %s\n", errstr);
        return 1;
    }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
    if (mc == NULL) {
        fprintf(stderr, "lm-kafka-mock: could not start the mock cluster\n");
        rd_kafka_destroy(rk);
        return 1;
    }

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--brokers") == 0) {
            i++;
        } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc) {
            if (create_topic(mc, argv[++i], brokers) != 0) {
                usage();
                return 2;
            }
        } else {
            usage();
            return 2;
        }
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    printf("bootstrap=%s\n", rd_kafka_mock_cluster_bootstraps(mc));
    fflush(stdout);

    char line[512];
    size_t used = 0;
    while (!stop) {
        struct pollfd pfd = {.fd = 0, .events = POLLIN};
        int r = poll(&pfd, 1, 500);
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t got = read(0, line + used, sizeof line - 1 - used);
        if (got <= 0) {
            /* stdin closed: our parent is gone (or wants us gone) */
            break;
        }
        used += (size_t)got;
        line[used] = '\0';
        char *nl;
        while ((nl = strchr(line, '\n')) != NULL) {
            *nl = '\0';
            char name[256];
            int parts;
            if (sscanf(line, "topic %255s %d", name, &parts) == 2) {
                char spec[300];
                snprintf(spec, sizeof spec, "%s:%d", name, parts);
                if (create_topic(mc, spec, brokers) == 0)
                    printf("ok\n");
                else
                    printf("error could not create topic %s\n", name);
            } else if (line[0] != '\0')
                printf("error unknown command\n");
            fflush(stdout);
            size_t rest = used - (size_t)(nl + 1 - line);
            memmove(line, nl + 1, rest);
            used = rest;
            line[used] = '\0';
        }
        if (used == sizeof line - 1)
            used = 0; /* an overlong line: drop it */
    }
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}
