/*
 * bench_kafka_consume.c: the raw librdkafka baseline of the Kafka ingest
 * benchmark (contrib/bench/kafka_ingest.sh) — consumes every record of a
 * topic from the earliest offset, as fast as librdkafka delivers them
 * (rd_kafka_consume_batch_queue on assigned partitions, no group), touching
 * each payload's first byte, and prints records, bytes and the process's CPU
 * seconds.  Debian ships no rdkafka_performance, so this stands in for it.
 *
 * usage: bench_kafka_consume BOOTSTRAP TOPIC PARTITIONS EXPECTED_RECORDS
 */
#include <librdkafka/rdkafka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s BOOTSTRAP TOPIC PARTITIONS EXPECTED_RECORDS\n", argv[0]);
        return 2;
    }
    int parts = atoi(argv[3]);
    long long expected = atoll(argv[4]);
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], err, sizeof err);
    rd_kafka_conf_set(conf, "group.id", "bench-raw", err, sizeof err);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
    rd_kafka_conf_set(conf, "enable.partition.eof", "false", err, sizeof err);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (rk == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(parts);
    for (int p = 0; p < parts; p++)
        rd_kafka_topic_partition_list_add(l, argv[2], p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(rk);
    rd_kafka_message_t *msgs[1024];
    long long n = 0, bytes = 0;
    unsigned sum = 0;
    double cpu0 = cpu_seconds();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int idle_s = 0;
    while (n < expected) {
        ssize_t got = rd_kafka_consume_batch_queue(q, 1000, msgs, 1024);
        if (got <= 0) {
            if (++idle_s >= 10) /* nothing for 10 s: the topic holds fewer records */
                break;
            continue;
        }
        idle_s = 0;
        for (ssize_t i = 0; i < got; i++) {
            if (!msgs[i]->err) {
                n++;
                bytes += (long long)msgs[i]->len;
                sum += msgs[i]->len ? ((const unsigned char *)msgs[i]->payload)[0] : 0;
            }
            rd_kafka_message_destroy(msgs[i]);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double cpu = cpu_seconds() - cpu0;
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("records=%lld bytes=%lld cpu_s=%.3f wall_s=%.3f records_per_cpu_s=%.0f check=%u\n", n,
           bytes, cpu, wall, cpu > 0 ? n / cpu : 0.0, sum & 1);
    rd_kafka_queue_destroy(q);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return n >= expected ? 0 : 1;
}
