/*
 * file_sink.c: the file connector's sink — rows as json lines, csv or raw
 * lines in files under `path`, exactly once.
 *
 * Layout: `partition_by` columns make sub-directories col=value/... (values
 * in their text form; '/', '%', '\\', control bytes and a leading '.' or '_'
 * escaped as %XX; NULL is "col=null").  Files are named
 * part-<subtask>-<start time, hex us>-<n>.<jsonl|csv|txt>, unique across
 * restarts.
 *
 * Exactly-once: rows go to staging files under
 * <path>/.laminar-staging/<job>-<subtask>/ (hidden from readers, the file
 * source included).  A file is closed when it reaches `rollover_size`
 * (default 128 MB), when `rollover_interval` has passed since it was
 * opened, and at every checkpoint.  prepare(N) fsyncs and closes every
 * staging file of the epoch and records the list (staging name → final
 * path) under "fsink/<job>/<subtask>/<N>" in the checkpoint's storage
 * batch, which commits atomically with the checkpoint.  commit(N) renames
 * them into place, fsyncs the directories and deletes the record.  open()
 * finishes the renames of every record it finds (a crash between the
 * checkpoint and the renames) — those epochs are committed by definition,
 * since their record exists — and deletes every other staging file (epochs
 * whose checkpoint never completed).  Rows of the changelog other than
 * inserts cannot be appended to files: 0A000.
 *
 * Known limit: a job that ends stopped or failed keeps staging files of a
 * prepared-but-uncommitted epoch until a job of the same id runs again.
 */
#include "connectors/builtin.h"
#include "connectors/format.h"
#include "common/error.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FLUSH_BYTES (256 * 1024)

typedef struct OutFile {
    char *dir;     /* partition sub-directory ("" or "a=1/b=x"), heap */
    char *staging; /* file name inside the staging directory, heap */
    int fd;        /* -1 once closed */
    int64 bytes;
    int64 opened_ms;
    StrBuf buf; /* heap */
    struct OutFile *next;
} OutFile;

typedef struct StagedFile {
    char *staging; /* name in the staging directory */
    char *final;   /* path relative to root */
} StagedFile;

typedef struct Prepared {
    int64 id;
    int n;
    StagedFile *files;
    struct Prepared *next;
} Prepared;

typedef struct FileSink {
    ConnectorContext *cc;
    const CatTable *t;
    char *root;
    char *staging_dir;
    const char *ext;
    FormatEncoder *enc;
    int npart;
    int *part_cols;
    int64 rollover_size;
    int64 rollover_ms; /* 0: none */
    int64 start_us;
    int64 seq;
    OutFile *open_files; /* files of the current epoch, open */
    StagedFile *closed;  /* files of the current epoch already closed (rolled over) */
    int nclosed, capclosed;
    Prepared *prepared; /* epochs prepared, not yet committed (oldest first) */
    StrBuf key;         /* partition key scratch */
    StrBuf rec;         /* one encoded record */
} FileSink;

static int64 now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void io_error(const char *what, const char *path)
{
    ereport(ERROR, errcode(ERRCODE_IO_ERROR),
            errmsg("could not %s \"%s\": %s", what, path, strerror(errno)));
}

static void mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                io_error("create directory", tmp);
            *p = '/';
        }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        io_error("create directory", tmp);
}

static void fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static void record_key(FileSink *s, int64 id, StrBuf *k)
{
    strbuf_printf(k, "fsink/%s/", s->cc->job_id);
    strbuf_append_be32(k, (uint32)s->cc->subtask);
    if (id >= 0) {
        char b[8];
        storage_key_put_i64(b, id);
        strbuf_append(k, b, 8);
    }
}

/* ---- staging files ---- */

static void write_all(int fd, const char *p, size_t n, const char *name)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            io_error("write file", name);
        }
        p += w;
        n -= (size_t)w;
    }
}

static void flush_file(FileSink *s, OutFile *f)
{
    if (f->buf.len > 0) {
        write_all(f->fd, f->buf.data, f->buf.len, f->staging);
        strbuf_reset(&f->buf);
    }
    (void)s;
}

static void add_closed(FileSink *s, const char *staging, const char *final)
{
    if (s->nclosed == s->capclosed) {
        int n = s->capclosed ? s->capclosed * 2 : 16;
        s->closed = lm_realloc(s->closed, sizeof(StagedFile) * (size_t)n);
        s->capclosed = n;
    }
    s->closed[s->nclosed].staging = lm_strdup(staging);
    s->closed[s->nclosed].final = lm_strdup(final);
    s->nclosed++;
}

/* Flushes, fsyncs and closes f; it joins the epoch's closed files. */
static void close_file(FileSink *s, OutFile *f)
{
    flush_file(s, f);
    if (fsync(f->fd) != 0)
        io_error("fsync file", f->staging);
    close(f->fd);
    f->fd = -1;
    char final[4096];
    snprintf(final, sizeof final, "%s%s%s", f->dir, f->dir[0] ? "/" : "", f->staging);
    add_closed(s, f->staging, final);
}

static OutFile *new_file(FileSink *s, const char *dir)
{
    OutFile *f = lm_calloc(1, sizeof(OutFile));
    f->dir = lm_strdup(dir);
    char name[256];
    snprintf(name, sizeof name, "part-%d-%llx-%06lld.%s", s->cc->subtask,
             (unsigned long long)s->start_us, (long long)s->seq++, s->ext);
    f->staging = lm_strdup(name);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->staging_dir, name);
    f->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f->fd < 0)
        io_error("create file", path);
    f->opened_ms = now_ms();
    strbuf_init(&f->buf, NULL);
    f->next = s->open_files;
    s->open_files = f;
    return f;
}

static void free_file(OutFile *f)
{
    strbuf_free(&f->buf);
    lm_free(f->dir);
    lm_free(f->staging);
    lm_free(f);
}

/* Escapes a partition value for a directory name. */
static void append_dir_value(StrBuf *k, const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 || c == '/' || c == '%' || c == 0x7F || c == '\\' ||
            (i == 0 && (c == '.' || c == '_')))
            strbuf_printf(k, "%%%02X", c);
        else
            strbuf_append_char(k, (char)c);
    }
}

static OutFile *file_for_row(FileSink *s, const Batch *b, int row)
{
    StrBuf *k = &s->key;
    strbuf_reset(k);
    for (int i = 0; i < s->npart; i++) {
        int c = s->part_cols[i];
        if (i)
            strbuf_append_char(k, '/');
        strbuf_printf(k, "%s=", s->t->columns[c].name);
        const Vector *v = &b->cols[c];
        if (!vector_is_valid(v, row)) {
            strbuf_append_str(k, "null");
            continue;
        }
        size_t mark = k->len;
        value_format_text(v, row, k);
        /* escape in place: copy the raw text out and append it escaped */
        size_t n = k->len - mark;
        char tmp[512];
        if (n >= sizeof tmp)
            n = sizeof tmp - 1;
        memcpy(tmp, k->data + mark, n);
        strbuf_truncate(k, mark);
        append_dir_value(k, tmp, n);
    }
    const char *dir = k->data ? k->data : "";
    for (OutFile *f = s->open_files; f; f = f->next)
        if (strcmp(f->dir, dir) == 0)
            return f;
    return new_file(s, dir);
}

/* Closes files that are past their size or age (they stay staged until the checkpoint). */
static void roll_files(FileSink *s, bool all)
{
    int64 now = now_ms();
    OutFile **pp = &s->open_files;
    while (*pp) {
        OutFile *f = *pp;
        bool roll = all || f->bytes >= s->rollover_size ||
                    (s->rollover_ms > 0 && now - f->opened_ms >= s->rollover_ms);
        if (roll) {
            close_file(s, f);
            *pp = f->next;
            free_file(f);
        } else
            pp = &f->next;
    }
}

/* ---- recovery ---- */

static void finish_renames(FileSink *s, const char *v, size_t vl)
{
    /* value: lines "staging\tfinal\n" */
    char *text = arena_strndup(s->cc->arena, v, vl);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (tab == NULL)
            continue;
        *tab = '\0';
        char from[4096], to[4096];
        snprintf(from, sizeof from, "%s/%s", s->staging_dir, line);
        snprintf(to, sizeof to, "%s/%s", s->root, tab + 1);
        if (access(from, F_OK) != 0)
            continue; /* renamed before the crash */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", to);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            mkdirs(dir);
        }
        if (rename(from, to) != 0)
            io_error("rename file", from);
        if (slash)
            fsync_dir(dir);
    }
}

static void *filesink_open(ConnectorContext *cc, int64 last_committed)
{
    (void)last_committed; /* every record found belongs to a completed checkpoint */
    FileSink *s = arena_new(cc->arena, FileSink);
    s->cc = cc;
    s->t = cc->table;
    const char *path = resolved_get(cc->opts, "path");
    if (path == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("file sink \"%s\" needs the option \"path\"", s->t->name));
    s->root = arena_strdup(cc->arena, path);
    size_t rl = strlen(s->root);
    while (rl > 1 && s->root[rl - 1] == '/')
        s->root[--rl] = '\0';
    const char *fmt = format_of_table(s->t, cc->opts);
    if (strcasecmp(fmt, "avro") == 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("file sink \"%s\" cannot write avro files yet", s->t->name),
                errdetail("File sinks write json lines, csv and raw lines; Avro object container "
                          "files are read only."));
    s->ext = strcasecmp(fmt, "csv") == 0 ? "csv" : strcasecmp(fmt, "json") == 0 ? "jsonl" : "txt";
    s->enc = format_encoder_create(cc->arena, s->t, cc->opts);
    const char *rs = resolved_get(cc->opts, "rollover_size");
    s->rollover_size = INT64_C(128) << 20;
    if (rs && !connector_parse_size(rs, &s->rollover_size))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"rollover_size\": \"%s\"", rs));
    const char *ri = resolved_get(cc->opts, "rollover_interval");
    if (ri && !connector_parse_duration_ms(ri, &s->rollover_ms))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"rollover_interval\": \"%s\"", ri));
    const char *pb = resolved_get(cc->opts, "partition_by");
    s->part_cols = arena_alloc(cc->arena, sizeof(int) * (size_t)(s->t->ncolumns + 1));
    if (pb) {
        char *list = arena_strdup(cc->arena, pb);
        char *save = NULL;
        for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
            while (*name == ' ')
                name++;
            size_t nl = strlen(name);
            while (nl > 0 && name[nl - 1] == ' ')
                name[--nl] = '\0';
            int col = -1;
            for (int c = 0; c < s->t->ncolumns; c++)
                if (strcasecmp(s->t->columns[c].name, name) == 0)
                    col = c;
            if (col < 0)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("partition_by column \"%s\" does not exist in table \"%s\"", name,
                               s->t->name));
            if (s->npart < s->t->ncolumns)
                s->part_cols[s->npart++] = col;
        }
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s->start_us = (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    strbuf_init(&s->key, cc->arena);
    strbuf_init(&s->rec, NULL);
    s->staging_dir = arena_printf(cc->arena, "%s/.laminar-staging/%s-%d", s->root,
                                  cc->job_id ? cc->job_id : "job", cc->subtask);
    mkdirs(s->root);
    mkdirs(s->staging_dir);

    /* finish what committed checkpoints staged, then drop the rest */
    StrBuf prefix;
    strbuf_init(&prefix, cc->arena);
    record_key(s, -1, &prefix);
    StorageIter *it = storage_iter_prefix(cc->storage, CF_META, prefix.data, prefix.len);
    int nkeys = 0, capkeys = 16;
    char **keys = arena_alloc(cc->arena, sizeof(char *) * (size_t)capkeys);
    size_t *klens = arena_alloc(cc->arena, sizeof(size_t) * (size_t)capkeys);
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t kl, vl;
        const char *k = storage_iter_key(it, &kl);
        const char *v = storage_iter_value(it, &vl);
        finish_renames(s, v, vl);
        if (nkeys == capkeys) {
            keys = arena_realloc(cc->arena, keys, sizeof(char *) * (size_t)capkeys,
                                 sizeof(char *) * (size_t)capkeys * 2);
            klens = arena_realloc(cc->arena, klens, sizeof(size_t) * (size_t)capkeys,
                                  sizeof(size_t) * (size_t)capkeys * 2);
            capkeys *= 2;
        }
        keys[nkeys] = arena_memdup(cc->arena, k, kl);
        klens[nkeys++] = kl;
    }
    storage_iter_destroy(it);
    for (int i = 0; i < nkeys; i++)
        storage_delete(cc->storage, CF_META, keys[i], klens[i], true);
    DIR *dir = opendir(s->staging_dir);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", s->staging_dir, e->d_name);
            unlink(p);
        }
        closedir(dir);
    }
    return s;
}

static void filesink_write(void *st, const Batch *b)
{
    FileSink *s = st;
    int n = batch_live_count(b);
    for (int i = 0; i < n; i++) {
        int r = batch_row(b, i);
        if (b->ops && b->ops[r] != ROW_INSERT)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("file sink \"%s\" cannot apply updates or deletes", s->t->name),
                    errdetail("Files are append-only; the pipeline produces a changelog."),
                    errhint("Write changelogs to a PostgreSQL table with write_mode = 'upsert' "
                            "or to a plain table with a primary key."));
        OutFile *f = file_for_row(s, b, r);
        size_t before = f->buf.len;
        format_encode(s->enc, b, r, &f->buf);
        strbuf_append_char(&f->buf, '\n');
        f->bytes += (int64)(f->buf.len - before);
        if (f->buf.len >= FLUSH_BYTES)
            flush_file(s, f);
    }
    roll_files(s, false);
}

static void filesink_prepare(void *st, int64 checkpoint_id, StorageBatch *cp)
{
    FileSink *s = st;
    roll_files(s, true);
    if (s->nclosed == 0)
        return;
    fsync_dir(s->staging_dir);
    Prepared *p = lm_calloc(1, sizeof(Prepared));
    p->id = checkpoint_id;
    p->n = s->nclosed;
    p->files = s->closed;
    s->closed = NULL;
    s->nclosed = s->capclosed = 0;
    StrBuf v;
    strbuf_init(&v, NULL);
    for (int i = 0; i < p->n; i++)
        strbuf_printf(&v, "%s\t%s\n", p->files[i].staging, p->files[i].final);
    StrBuf k;
    strbuf_init(&k, NULL);
    record_key(s, checkpoint_id, &k);
    storage_batch_put(cp, CF_META, k.data, k.len, v.data, v.len);
    strbuf_free(&k);
    strbuf_free(&v);
    Prepared **pp = &s->prepared;
    while (*pp)
        pp = &(*pp)->next;
    *pp = p;
}

static void filesink_commit(void *st, int64 checkpoint_id)
{
    FileSink *s = st;
    while (s->prepared && s->prepared->id <= checkpoint_id) {
        Prepared *p = s->prepared;
        StrBuf v;
        strbuf_init(&v, NULL);
        for (int i = 0; i < p->n; i++)
            strbuf_printf(&v, "%s\t%s\n", p->files[i].staging, p->files[i].final);
        finish_renames(s, v.data, v.len);
        strbuf_free(&v);
        StrBuf k;
        strbuf_init(&k, NULL);
        record_key(s, p->id, &k);
        storage_delete(s->cc->storage, CF_META, k.data, k.len, false);
        strbuf_free(&k);
        for (int i = 0; i < p->n; i++) {
            lm_free(p->files[i].staging);
            lm_free(p->files[i].final);
        }
        lm_free(p->files);
        s->prepared = p->next;
        lm_free(p);
    }
}

static void filesink_close(void *st)
{
    FileSink *s = st;
    /* uncommitted staging files stay for the next open to delete */
    while (s->open_files) {
        OutFile *f = s->open_files;
        s->open_files = f->next;
        if (f->fd >= 0)
            close(f->fd);
        free_file(f);
    }
    for (int i = 0; i < s->nclosed; i++) {
        lm_free(s->closed[i].staging);
        lm_free(s->closed[i].final);
    }
    lm_free(s->closed);
    s->closed = NULL;
    s->nclosed = s->capclosed = 0;
    while (s->prepared) {
        Prepared *p = s->prepared;
        s->prepared = p->next;
        for (int i = 0; i < p->n; i++) {
            lm_free(p->files[i].staging);
            lm_free(p->files[i].final);
        }
        lm_free(p->files);
        lm_free(p);
    }
    strbuf_free(&s->rec);
}

const SinkOps file_sink_ops = {
    .open = filesink_open,
    .write = filesink_write,
    .prepare = filesink_prepare,
    .commit = filesink_commit,
    .close = filesink_close,
};
