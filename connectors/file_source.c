/*
 * file_source.c: the file connector's source — records from the files of a
 * local directory (or one file), in json lines, csv, raw lines or Avro OCF.
 *
 * Files: `path` is a file or a directory walked recursively (entries whose
 * names start with '.' or '_' are skipped: staging files, _SUCCESS
 * markers); `pattern` is a glob matched against the file's name (default:
 * every file).  Each file belongs to one subtask, chosen by a hash of its
 * path relative to `path`, so parallel subtasks split the files without
 * talking to each other.  A subtask reads its files one after another in
 * name order.  Without `scan_interval` the source is bounded: the files
 * present at open are read and the source ends.  With it the directory is
 * scanned again at that interval and new files are read (at most
 * `max_files_per_scan` picked up per scan; a bounded source scans again
 * until none is left).  Files are expected to be
 * complete when they appear (written elsewhere and renamed in, as the file
 * sink does); a file is read once, up to its end at that time.
 *
 * Records: json, raw and csv files are split into lines (csv: a line break
 * inside a quoted field continues the record); avro files are object
 * container files read through format_ocf_*.  A record that does not decode
 * is reported through format_report_error: recorded in laminar.job_errors
 * and skipped with ignore_parse_errors = true, else the job fails with it.
 *
 * Position (checkpointed): the set of completed files and the current file
 * with its offset (bytes for line formats, records for OCF) — text lines
 * "C <path>" and "R <offset> <path>".  Restoring skips completed files and
 * resumes the current one exactly after the last record returned.  The set
 * of completed files grows with the directory (known limit: a directory of
 * millions of files makes positions large).  One partition per subtask (its
 * files in order) for watermarks.
 */
#include "connectors/builtin.h"
#include "connectors/format.h"
#include "common/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK (1 << 20)

typedef struct FileSource {
    ConnectorContext *cc;
    Arena *arena;
    char *root; /* the path option */
    bool root_is_dir;
    const char *pattern;
    int64 scan_interval_ms; /* 0: bounded */
    int max_files_per_scan;
    FormatDecoder *dec;
    bool ocf;
    bool csv;
    char quote; /* csv quote character (records may span lines inside quotes) */
    bool ignore_errors;
    /* completed files: open-addressing set of relative paths (heap strings) */
    char **done;
    int64 ndone, capdone;
    /* pending files of this subtask, sorted (heap strings) */
    char **pending;
    int npending, cappending, pending_pos;
    /* current file */
    char *cur; /* relative path, heap; NULL none */
    int fd;
    FormatOcfReader *ocfr;
    int64 offset;                  /* bytes (lines) or records (OCF) consumed and returned */
    char *buf;                     /* READ_CHUNK + room for a long record */
    size_t bufcap, buflen, bufpos; /* buf[bufpos..buflen) not yet consumed */
    bool eof;
    int64 last_scan_ms;
    bool scanned;
    bool scan_truncated; /* the last scan left files for the next (max_files_per_scan) */
    StrBuf line;         /* a record spanning buffer refills */
} FileSource;

static int64 now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64 path_hash(const char *s)
{
    uint64 h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (uint8)*s) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

/* ---- completed set ---- */

static bool done_has(FileSource *s, const char *p)
{
    if (s->capdone == 0)
        return false;
    int64 j = (int64)(path_hash(p) & (uint64)(s->capdone - 1));
    while (s->done[j]) {
        if (strcmp(s->done[j], p) == 0)
            return true;
        j = (j + 1) & (s->capdone - 1);
    }
    return false;
}

static void done_add(FileSource *s, const char *p)
{
    if (done_has(s, p))
        return;
    if ((s->ndone + 1) * 2 > s->capdone) {
        int64 n = s->capdone ? s->capdone * 2 : 64;
        char **old = s->done;
        int64 oldn = s->capdone;
        s->done = lm_calloc((size_t)n, sizeof(char *));
        s->capdone = n;
        for (int64 i = 0; i < oldn; i++)
            if (old[i]) {
                int64 j = (int64)(path_hash(old[i]) & (uint64)(n - 1));
                while (s->done[j])
                    j = (j + 1) & (n - 1);
                s->done[j] = old[i];
            }
        lm_free(old);
    }
    int64 j = (int64)(path_hash(p) & (uint64)(s->capdone - 1));
    while (s->done[j])
        j = (j + 1) & (s->capdone - 1);
    s->done[j] = lm_strdup(p);
    s->ndone++;
}

/* ---- scanning ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pending_add(FileSource *s, const char *rel)
{
    if (s->npending == s->cappending) {
        int n = s->cappending ? s->cappending * 2 : 64;
        s->pending = lm_realloc(s->pending, sizeof(char *) * (size_t)n);
        s->cappending = n;
    }
    s->pending[s->npending++] = lm_strdup(rel);
}

static bool is_pending(FileSource *s, const char *rel)
{
    for (int i = s->pending_pos; i < s->npending; i++)
        if (strcmp(s->pending[i], rel) == 0)
            return true;
    return false;
}

static void walk(FileSource *s, const char *rel, int depth)
{
    char full[4096];
    snprintf(full, sizeof full, "%s%s%s", s->root, rel[0] ? "/" : "", rel);
    DIR *dir = opendir(full);
    if (dir == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_')
            continue;
        char child[4096];
        if (snprintf(child, sizeof child, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >=
            (int)sizeof child)
            continue;
        char cfull[8192];
        if (snprintf(cfull, sizeof cfull, "%s/%s", s->root, child) >= (int)sizeof cfull)
            continue;
        struct stat st;
        if (stat(cfull, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < 32)
                walk(s, child, depth + 1);
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        if (s->pattern && fnmatch(s->pattern, e->d_name, 0) != 0 &&
            fnmatch(s->pattern, child, FNM_PATHNAME) != 0)
            continue;
        if ((int)(path_hash(child) % (uint64)s->cc->parallelism) != s->cc->subtask)
            continue;
        if (done_has(s, child) || (s->cur && strcmp(s->cur, child) == 0) || is_pending(s, child))
            continue;
        pending_add(s, child);
    }
    closedir(dir);
}

/* Finds new files; keeps them in name order after those already pending. */
static void scan(FileSource *s)
{
    s->last_scan_ms = now_ms();
    s->scanned = true;
    if (!s->root_is_dir)
        return;
    /* compact the consumed prefix */
    if (s->pending_pos > 0) {
        for (int i = 0; i < s->pending_pos; i++)
            lm_free(s->pending[i]);
        memmove(s->pending, s->pending + s->pending_pos,
                sizeof(char *) * (size_t)(s->npending - s->pending_pos));
        s->npending -= s->pending_pos;
        s->pending_pos = 0;
    }
    int before = s->npending;
    walk(s, "", 0);
    qsort(s->pending + before, (size_t)(s->npending - before), sizeof(char *), cmp_str);
    s->scan_truncated = s->max_files_per_scan > 0 && s->npending - before > s->max_files_per_scan;
    if (s->scan_truncated) {
        for (int i = before + s->max_files_per_scan; i < s->npending; i++)
            lm_free(s->pending[i]);
        s->npending = before + s->max_files_per_scan;
    }
}

/* ---- the current file ---- */

static void full_path(FileSource *s, const char *rel, char *out, size_t cap)
{
    if (!s->root_is_dir)
        snprintf(out, cap, "%s", s->root);
    else
        snprintf(out, cap, "%s/%s", s->root, rel);
}

static void close_current(FileSource *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    if (s->ocfr)
        format_ocf_close(s->ocfr);
    s->ocfr = NULL;
    lm_free(s->cur);
    s->cur = NULL;
    s->buflen = s->bufpos = 0;
    s->eof = false;
    s->offset = 0;
}

/* Opens rel and moves to `offset` (bytes or OCF records). */
static void open_current(FileSource *s, const char *rel, int64 offset)
{
    char path[4096];
    full_path(s, rel, path, sizeof path);
    s->cur = lm_strdup(rel);
    s->offset = 0;
    s->eof = false;
    s->buflen = s->bufpos = 0;
    if (s->ocf) {
        s->ocfr = format_ocf_open(s->dec, path);
        /* skip the records returned before the checkpoint (decoded into a scratch batch) */
        int ncols = s->cc->table->ncolumns;
        const LmType **types = arena_alloc(s->arena, sizeof(LmType *) * (size_t)(ncols + 1));
        for (int i = 0; i < ncols; i++)
            types[i] = s->cc->table->columns[i].type;
        Arena *tmp = arena_create("ocf skip", NULL);
        Batch *b = batch_create(tmp, ncols, types, LM_BATCH_SIZE);
        FormatError err;
        int row = 0;
        while (s->offset < offset) {
            int rc = format_ocf_next(s->ocfr, b, row, &err);
            if (rc == 0 || rc == -2)
                break;
            s->offset++;
            if (++row == LM_BATCH_SIZE) {
                arena_reset(tmp);
                b = batch_create(tmp, ncols, types, LM_BATCH_SIZE);
                row = 0;
            }
        }
        arena_destroy(tmp);
        return;
    }
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0)
        ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                errmsg("could not open file \"%s\": %s", path, strerror(errno)));
    if (offset > 0 && lseek(s->fd, (off_t)offset, SEEK_SET) < 0)
        ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                errmsg("could not seek in file \"%s\": %s", path, strerror(errno)));
    s->offset = offset;
}

/* Makes the next pending file current; false when none is left. */
static bool next_file(FileSource *s)
{
    while (s->pending_pos < s->npending) {
        const char *rel = s->pending[s->pending_pos++];
        if (done_has(s, rel))
            continue;
        char path[4096];
        full_path(s, rel, path, sizeof path);
        if (access(path, F_OK) != 0 && errno == ENOENT) {
            done_add(s, rel); /* removed after the scan: nothing to read */
            continue;
        }
        open_current(s, rel, 0);
        return true;
    }
    return false;
}

static void finish_current(FileSource *s)
{
    done_add(s, s->cur);
    close_current(s);
}

/* Refills buf keeping the unconsumed tail; false at end of file. */
static bool refill(FileSource *s)
{
    if (s->eof)
        return false;
    size_t tail = s->buflen - s->bufpos;
    if (s->bufpos > 0) {
        memmove(s->buf, s->buf + s->bufpos, tail);
        s->bufpos = 0;
        s->buflen = tail;
    }
    if (s->bufcap - s->buflen < READ_CHUNK / 2) {
        size_t cap = s->bufcap * 2;
        s->buf = lm_realloc(s->buf, cap);
        s->bufcap = cap;
    }
    ssize_t n = read(s->fd, s->buf + s->buflen, s->bufcap - s->buflen);
    if (n < 0)
        ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                errmsg("could not read file \"%s\": %s", s->cur, strerror(errno)));
    if (n == 0) {
        s->eof = true;
        return false;
    }
    s->buflen += (size_t)n;
    return true;
}

/*
 * The next record of a line-format file: [*rec, *rec + *len) without the line break; false
 * at end of file.  Consumes it (s->offset moves past it).
 */
static bool next_line(FileSource *s, const char **rec, size_t *len)
{
    size_t scan_from = s->bufpos;
    for (;;) {
        char *start = s->buf + s->bufpos;
        char *end = s->buf + s->buflen;
        char *nl = memchr(s->buf + scan_from, '\n', (size_t)(end - (s->buf + scan_from)));
        if (nl && s->csv) {
            /* a quoted field may hold line breaks: need an even number of quotes */
            size_t quotes = 0;
            for (char *p = start; p < nl; p++)
                quotes += *p == s->quote;
            if (quotes & 1) {
                scan_from = (size_t)(nl + 1 - s->buf);
                if (scan_from < s->buflen)
                    continue;
                nl = NULL;
            }
        }
        if (nl) {
            size_t n = (size_t)(nl - start);
            *rec = start;
            *len = n > 0 && start[n - 1] == '\r' ? n - 1 : n;
            s->bufpos += n + 1;
            s->offset += (int64)(n + 1);
            return true;
        }
        size_t consumed_scan = scan_from - s->bufpos;
        if (!refill(s)) {
            if (s->bufpos < s->buflen) {
                /* last line without a line break */
                size_t n = s->buflen - s->bufpos;
                *rec = s->buf + s->bufpos;
                *len = n > 0 && (*rec)[n - 1] == '\r' ? n - 1 : n;
                s->bufpos = s->buflen;
                s->offset += (int64)n;
                return true;
            }
            return false;
        }
        scan_from = s->bufpos + consumed_scan;
    }
}

/* ---- SourceOps ---- */

static void *file_open(ConnectorContext *cc, const char *position, size_t position_len)
{
    FileSource *s = arena_new(cc->arena, FileSource);
    s->cc = cc;
    s->arena = cc->arena;
    s->fd = -1;
    const char *path = resolved_get(cc->opts, "path");
    if (path == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("file source \"%s\" needs the option \"path\"", cc->table->name));
    s->root = arena_strdup(cc->arena, path);
    size_t rl = strlen(s->root);
    while (rl > 1 && s->root[rl - 1] == '/')
        s->root[--rl] = '\0';
    struct stat st;
    if (stat(s->root, &st) != 0)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FILE),
                errmsg("could not access \"%s\": %s", s->root, strerror(errno)));
    s->root_is_dir = S_ISDIR(st.st_mode);
    s->pattern = resolved_get(cc->opts, "pattern");
    const char *si = resolved_get(cc->opts, "scan_interval");
    if (si && !connector_parse_duration_ms(si, &s->scan_interval_ms))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"scan_interval\": \"%s\"", si));
    if (si && s->scan_interval_ms <= 0)
        s->scan_interval_ms = 1;
    const char *mf = resolved_get(cc->opts, "max_files_per_scan");
    s->max_files_per_scan = mf ? atoi(mf) : 0;
    const char *fmt = format_of_table(cc->table, cc->opts);
    s->ocf = strcasecmp(fmt, "avro") == 0;
    s->csv = strcasecmp(fmt, "csv") == 0;
    const char *q = resolved_get(cc->opts, "quote");
    s->quote = q && q[0] ? q[0] : '"';
    s->dec = format_decoder_create(cc->arena, cc->table, cc->opts, NULL);
    s->ignore_errors = format_ignore_parse_errors(cc->opts);
    s->bufcap = READ_CHUNK;
    s->buf = lm_malloc(s->bufcap);
    strbuf_init(&s->line, cc->arena);

    /* restore */
    char *cur = NULL;
    int64 cur_off = 0;
    if (position && position_len > 0) {
        char *text = arena_strndup(cc->arena, position, position_len);
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            if (line[0] == 'C' && line[1] == ' ')
                done_add(s, line + 2);
            else if (line[0] == 'R' && line[1] == ' ') {
                char *sp = strchr(line + 2, ' ');
                if (sp) {
                    cur_off = strtoll(line + 2, NULL, 10);
                    cur = sp + 1;
                }
            }
        }
    }
    if (!s->root_is_dir) {
        /* one file: subtask 0 reads it */
        if (cc->subtask == 0 && !done_has(s, ".") && (cur == NULL || strcmp(cur, ".") != 0))
            pending_add(s, ".");
    }
    if (cur) {
        char full[4096];
        full_path(s, cur, full, sizeof full);
        if (access(full, R_OK) == 0)
            open_current(s, cur, cur_off);
    }
    scan(s);
    return s;
}

static SourceStatus file_poll(void *st, Batch *out, int *partition)
{
    FileSource *s = st;
    *partition = 0;
    out->count = 0;
    int row = 0;
    FormatError err;
    while (row < LM_BATCH_SIZE) {
        if (s->cc->stop_requested && atomic_load(s->cc->stop_requested))
            break;
        if (s->cur == NULL) {
            if (!next_file(s)) {
                if (row > 0)
                    break;
                if (s->scan_interval_ms == 0) {
                    if (s->scan_truncated) {
                        /* bounded, but the last scan stopped at max_files_per_scan */
                        scan(s);
                        continue;
                    }
                    return SOURCE_END;
                }
                if (now_ms() - s->last_scan_ms >= s->scan_interval_ms) {
                    scan(s);
                    if (next_file(s))
                        continue;
                }
                return SOURCE_IDLE;
            }
        }
        if (s->ocf) {
            int rc = format_ocf_next(s->ocfr, out, row, &err);
            if (rc == 1) {
                s->offset++;
                row++;
                continue;
            }
            if (rc == 0) {
                finish_current(s);
                continue;
            }
            s->offset++;
            format_report_error(s->cc, &err, s->ignore_errors, "", 0);
            if (rc == -2)
                finish_current(s);
            continue;
        }
        const char *rec;
        size_t len;
        if (!next_line(s, &rec, &len)) {
            finish_current(s);
            continue;
        }
        if (len == 0 && !s->csv)
            continue; /* blank lines between json documents / raw lines */
        if (format_decode(s->dec, rec, len, out, row, &err)) {
            row++;
            continue;
        }
        if (err.code == NULL)
            continue; /* a csv header */
        format_report_error(s->cc, &err, s->ignore_errors, rec, len);
    }
    out->count = row;
    return row > 0 ? SOURCE_DATA : SOURCE_IDLE;
}

static int file_partitions(void *st)
{
    (void)st;
    return 1;
}

static void file_position(void *st, StrBuf *out)
{
    FileSource *s = st;
    for (int64 i = 0; i < s->capdone; i++)
        if (s->done[i])
            strbuf_printf(out, "C %s\n", s->done[i]);
    if (s->cur)
        strbuf_printf(out, "R %lld %s\n", (long long)s->offset, s->cur);
}

/* Lag is counted in records; files do not say how many they hold until read. */
static int64 file_lag(void *st, int partition)
{
    (void)st;
    (void)partition;
    return -1;
}

static void file_close(void *st)
{
    FileSource *s = st;
    close_current(s);
    format_decoder_destroy(s->dec);
    for (int i = 0; i < s->npending; i++)
        lm_free(s->pending[i]);
    lm_free(s->pending);
    s->pending = NULL;
    s->npending = s->pending_pos = 0;
    for (int64 i = 0; i < s->capdone; i++)
        lm_free(s->done[i]);
    lm_free(s->done);
    s->done = NULL;
    s->capdone = s->ndone = 0;
    lm_free(s->buf);
    s->buf = NULL;
}

const SourceOps file_source_ops = {
    .open = file_open,
    .poll = file_poll,
    .partitions = file_partitions,
    .position = file_position,
    .lag = file_lag,
    .close = file_close,
};
