/*
 * test_file_connector.c: the file connector driven through its SourceOps and
 * SinkOps without a job (connectors/file_source.c, file_sink.c).
 *
 * Covers: the sink stages rows (nothing visible before commit), commit
 * renames into partition_by directories; a crash after the checkpoint's
 * storage batch committed but before the renames is finished by the next
 * open; a crash before the checkpoint leaves nothing (staging files are
 * deleted); rollover by size.  The source reads a directory in name order
 * (hidden files skipped, pattern applied), its position restores exactly in
 * the middle of a file and after completed files, two subtasks split the
 * files, a bounded source ends, a watched one picks up new files, csv
 * headers are skipped, bad records go to record_error and are skipped with
 * ignore_parse_errors or raise without it; avro OCF files are read.
 *
 * lmtest-libs: connectors/libconnectors.a storage/libstorage.a common/libcommon.a
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/vector.h"
#include "connectors/builtin.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <avro.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static Arena *A;
static char root[256];
static int nerrors;
static char last_sample[256];

static void on_error(void *arg, const char *code, const char *message, const char *details,
                     const char *sample, size_t sample_len)
{
    (void)arg;
    (void)code;
    (void)message;
    (void)details;
    nerrors++;
    snprintf(last_sample, sizeof last_sample, "%.*s", (int)sample_len, sample);
}

static ResolvedOptions *opts_make(int n, const char *const *kv)
{
    ResolvedOptions *o = arena_new(A, ResolvedOptions);
    o->count = n;
    o->names = arena_alloc(A, sizeof(char *) * (size_t)(n ? n : 1));
    o->values = arena_alloc(A, sizeof(char *) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        o->names[i] = kv[2 * i];
        o->values[i] = kv[2 * i + 1];
    }
    return o;
}

static CatTable *table2(void)
{
    CatTable *t = arena_new(A, CatTable);
    t->name = "ft";
    t->connector = "file";
    t->ncolumns = 2;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * 2);
    t->columns[0].name = "id";
    t->columns[0].type = type_int64();
    t->columns[0].not_null = true;
    t->columns[1].name = "grp";
    t->columns[1].type = type_string();
    return t;
}

static Batch *batch_of(const CatTable *t)
{
    const LmType *types[] = {t->columns[0].type, t->columns[1].type};
    return batch_create(A, 2, types, LM_BATCH_SIZE);
}

static ConnectorContext *ctx(Storage *st, const CatTable *t, ResolvedOptions *o, int subtask,
                             int par)
{
    ConnectorContext *cc = arena_new(A, ConnectorContext);
    cc->table = t;
    cc->opts = o;
    cc->job_id = "job_test";
    cc->subtask = subtask;
    cc->parallelism = par;
    cc->storage = st;
    cc->arena = arena_create("cc", A);
    cc->record_error = on_error;
    return cc;
}

static void write_file(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

/* Counts regular files under dir (recursively), hidden ones separately. */
static void count_files(const char *dir, int *visible, int *hidden, int *lines)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        stat(p, &sb);
        if (S_ISDIR(sb.st_mode)) {
            int v = 0, h = 0, l = 0;
            count_files(p, &v, &h, &l);
            if (e->d_name[0] == '.')
                *hidden += v + h;
            else
                *visible += v, *hidden += h;
            *lines += e->d_name[0] == '.' ? 0 : l;
            continue;
        }
        if (e->d_name[0] == '.') {
            (*hidden)++;
            continue;
        }
        (*visible)++;
        FILE *f = fopen(p, "r");
        int c;
        while ((c = fgetc(f)) != EOF)
            *lines += c == '\n';
        fclose(f);
    }
    closedir(d);
}

static void fill(Batch *b, int n, int64 first)
{
    for (int i = 0; i < n; i++) {
        vector_set_int64(&b->cols[0], i, first + i);
        vector_set_cstr(&b->cols[1], A, i, (first + i) % 2 ? "odd" : "even");
    }
    b->count = n;
}

static void test_sink(Storage *st)
{
    char out[300];
    snprintf(out, sizeof out, "%s/out", root);
    CatTable *t = table2();
    const char *kv[] = {"path", out, "format", "json", "partition_by", "grp"};
    ResolvedOptions *o = opts_make(3, kv);
    ConnectorContext *cc = ctx(st, t, o, 0, 1);
    void *s = file_sink_ops.open(cc, 0);
    Batch *b = batch_of(t);
    fill(b, 10, 0);
    file_sink_ops.write(s, b);
    int v = 0, h = 0, l = 0;
    count_files(out, &v, &h, &l);
    LMT_CHECK(v == 0, "sink: nothing visible before the checkpoint");
    StorageBatch *cp = storage_batch_create();
    file_sink_ops.prepare(s, 1, cp);
    storage_batch_commit(st, cp, true);
    storage_batch_clear(cp);
    file_sink_ops.commit(s, 1);
    v = h = l = 0;
    count_files(out, &v, &h, &l);
    LMT_CHECK(v == 2 && l == 10, "sink: commit renames one file per partition (%d files, %d rows)",
              v, l);
    char p[512];
    snprintf(p, sizeof p, "%s/grp=odd", out);
    LMT_CHECK(access(p, F_OK) == 0, "sink: partition directory grp=odd");

    /* crash after the checkpoint committed, before the renames */
    fill(b, 6, 100);
    file_sink_ops.write(s, b);
    file_sink_ops.prepare(s, 2, cp);
    storage_batch_commit(st, cp, true);
    storage_batch_clear(cp);
    file_sink_ops.close(s);
    v = h = l = 0;
    count_files(out, &v, &h, &l);
    LMT_CHECK(l == 10, "sink: epoch 2 not visible before its renames");
    cc = ctx(st, t, o, 0, 1);
    s = file_sink_ops.open(cc, 2);
    v = h = l = 0;
    count_files(out, &v, &h, &l);
    LMT_CHECK(l == 16 && h == 0,
              "sink: open finishes the renames of a committed checkpoint "
              "(%d rows, %d staging)",
              l, h);

    /* crash before the checkpoint: the epoch's staging files are dropped */
    fill(b, 7, 200);
    file_sink_ops.write(s, b);
    file_sink_ops.prepare(s, 3, cp); /* cp never committed */
    storage_batch_clear(cp);
    file_sink_ops.close(s);
    cc = ctx(st, t, o, 0, 1);
    s = file_sink_ops.open(cc, 2);
    v = h = l = 0;
    count_files(out, &v, &h, &l);
    LMT_CHECK(l == 16 && h == 0, "sink: an uncommitted epoch leaves nothing (%d rows, %d staging)",
              l, h);
    file_sink_ops.close(s);

    /* rollover by size */
    char out2[300];
    snprintf(out2, sizeof out2, "%s/out2", root);
    const char *kv2[] = {"path", out2, "format", "csv", "rollover_size", "1024"};
    cc = ctx(st, t, opts_make(3, kv2), 0, 1);
    s = file_sink_ops.open(cc, 0);
    for (int i = 0; i < 10; i++) {
        fill(b, 20, i * 20);
        file_sink_ops.write(s, b);
    }
    file_sink_ops.prepare(s, 1, cp);
    storage_batch_commit(st, cp, true);
    file_sink_ops.commit(s, 1);
    file_sink_ops.close(s);
    v = h = l = 0;
    count_files(out2, &v, &h, &l);
    LMT_CHECK(v >= 2 && l == 200, "sink: rollover_size splits files (%d files, %d rows)", v, l);
    storage_batch_destroy(cp);
}

/* Reads everything the source returns now; ids appended to ids. */
static int drain(void *s, int64 *ids, int max, SourceStatus *last)
{
    int n = 0;
    Arena *ba = arena_create("poll", NULL);
    for (int i = 0; i < 100; i++) {
        arena_reset(ba);
        const LmType *types[] = {type_int64(), type_string()};
        Batch *b = batch_create(ba, 2, types, LM_BATCH_SIZE);
        int part;
        *last = file_source_ops.poll(s, b, &part);
        if (*last != SOURCE_DATA)
            break;
        for (int r = 0; r < b->count && n < max; r++)
            ids[n++] = ((int64 *)b->cols[0].data)[r];
    }
    arena_destroy(ba);
    return n;
}

static void test_source(Storage *st)
{
    char in[300];
    snprintf(in, sizeof in, "%s/in", root);
    mkdir(in, 0755);
    write_file("in/a.jsonl", "{\"id\":1}\n{\"id\":2}\n\n{\"id\":3}\n");
    write_file("in/b.jsonl", "{\"id\":4}\n{\"id\":\"x\"}\n{\"id\":5}");
    write_file("in/.hidden.jsonl", "{\"id\":99}\n");
    write_file("in/c.txt", "{\"id\":98}\n");
    CatTable *t = table2();
    const char *kv[] = {"path", in, "pattern", "*.jsonl", "ignore_parse_errors", "true"};
    ResolvedOptions *o = opts_make(3, kv);
    void *s = file_source_ops.open(ctx(st, t, o, 0, 1), NULL, 0);
    int64 ids[64];
    SourceStatus last;
    nerrors = 0;
    int n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 5 && ids[0] == 1 && ids[3] == 4 && ids[4] == 5 && last == SOURCE_END,
              "source: files in name order, hidden and unmatched skipped, bounded end (%d rows)",
              n);
    LMT_CHECK(nerrors == 1 && strcmp(last_sample, "{\"id\":\"x\"}") == 0,
              "source: the bad record went to record_error with its sample");
    file_source_ops.close(s);

    /* position in the middle of a.jsonl: after "{"id":1}\n" (9 bytes) */
    const char *pos = "R 9 a.jsonl\n";
    s = file_source_ops.open(ctx(st, t, o, 0, 1), pos, strlen(pos));
    n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 4 && ids[0] == 2, "source: restore continues inside a file (%d rows)", n);
    file_source_ops.close(s);
    pos = "C a.jsonl\n";
    s = file_source_ops.open(ctx(st, t, o, 0, 1), pos, strlen(pos));
    n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 2 && ids[0] == 4, "source: completed files are skipped (%d rows)", n);
    StrBuf sb;
    strbuf_init(&sb, A);
    file_source_ops.position(s, &sb);
    LMT_CHECK(strstr(sb.data, "C a.jsonl\n") && strstr(sb.data, "C b.jsonl\n"),
              "source: position lists completed files");
    file_source_ops.close(s);

    /* two subtasks split the files */
    int total = 0;
    for (int sub = 0; sub < 2; sub++) {
        s = file_source_ops.open(ctx(st, t, o, sub, 2), NULL, 0);
        total += drain(s, ids, 64, &last);
        file_source_ops.close(s);
    }
    LMT_CHECK_INT(total, 5, "source: two subtasks read every record once");

    /* bounded with max_files_per_scan: every file is still read */
    const char *kvm[] = {
        "path", in, "pattern", "*.jsonl", "ignore_parse_errors", "true", "max_files_per_scan", "1"};
    s = file_source_ops.open(ctx(st, t, opts_make(4, kvm), 0, 1), NULL, 0);
    n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 5 && last == SOURCE_END,
              "source: max_files_per_scan = 1 still reads every "
              "file of a bounded source (%d rows)",
              n);
    file_source_ops.close(s);

    /* watch: a new file is picked up */
    const char *kvw[] = {
        "path", in, "pattern", "*.jsonl", "ignore_parse_errors", "true", "scan_interval", "10ms"};
    s = file_source_ops.open(ctx(st, t, opts_make(4, kvw), 0, 1), NULL, 0);
    n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 5 && last == SOURCE_IDLE, "source: a watched directory idles, not ends");
    write_file("in/d.jsonl", "{\"id\":6}\n");
    usleep(30000);
    n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 1 && ids[0] == 6, "source: a new file is read (%d rows)", n);
    file_source_ops.close(s);

    /* without ignore_parse_errors the bad record raises */
    const char *kvf[] = {"path", in, "pattern", "b.jsonl"};
    s = file_source_ops.open(ctx(st, t, opts_make(2, kvf), 0, 1), NULL, 0);
    LMT_EXPECT_ERROR(drain(s, ids, 64, &last), "22P02", "source: a bad record fails the read");
    file_source_ops.close(s);

    /* csv with header, single file path */
    write_file("one.csv", "id,grp\n7,x\n8,y\n");
    char one[300];
    snprintf(one, sizeof one, "%s/one.csv", root);
    const char *kvc[] = {"path", one, "format", "csv", "header", "true"};
    s = file_source_ops.open(ctx(st, t, opts_make(3, kvc), 0, 1), NULL, 0);
    n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 2 && ids[0] == 7 && last == SOURCE_END, "source: one csv file, header skipped");
    file_source_ops.close(s);

    /* avro OCF */
    char ocfdir[300];
    snprintf(ocfdir, sizeof ocfdir, "%s/ocf", root);
    mkdir(ocfdir, 0755);
    char ocf[400];
    snprintf(ocf, sizeof ocf, "%s/x.avro", ocfdir);
    const char *sch = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\","
                      "\"type\":\"long\"},{\"name\":\"grp\",\"type\":\"string\"}]}";
    avro_schema_t as;
    avro_schema_from_json_length(sch, strlen(sch), &as);
    avro_file_writer_t fw;
    avro_file_writer_create(ocf, as, &fw);
    avro_value_iface_t *iface = avro_generic_class_from_schema(as);
    avro_value_t v, f;
    avro_generic_value_new(iface, &v);
    for (int i = 0; i < 5; i++) {
        avro_value_get_by_name(&v, "id", &f, NULL);
        avro_value_set_long(&f, 10 + i);
        avro_value_get_by_name(&v, "grp", &f, NULL);
        avro_value_set_string(&f, "g");
        avro_file_writer_append_value(fw, &v);
    }
    avro_file_writer_close(fw);
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    avro_schema_decref(as);
    const char *kva[] = {"path", ocfdir, "format", "avro"};
    s = file_source_ops.open(ctx(st, t, opts_make(2, kva), 0, 1), "R 2 x.avro\n", 11);
    n = drain(s, ids, 64, &last);
    LMT_CHECK(n == 3 && ids[0] == 12, "source: OCF file resumes by record (%d rows)", n);
    file_source_ops.close(s);
}

int main(void)
{
    A = arena_create("test", NULL);
    snprintf(root, sizeof root, "/tmp/lmtest_files_XXXXXX");
    if (mkdtemp(root) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    char db[300];
    snprintf(db, sizeof db, "%s/db", root);
    Storage *st = storage_open(db);
    test_sink(st);
    test_source(st);
    storage_close(st);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", root);
    arena_destroy(A);
    return lmt_done();
}
