/* log.c: leveled logging to stderr, one write() per line so threads do not interleave. */
#include "common/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static LogLevel min_level = LOG_INFO;
static __thread char thread_name[16] = "main";

static const char *level_names[] = {"DEBUG", "INFO", "WARNING", "ERROR", "FATAL"};

void log_set_level(LogLevel level)
{
    min_level = level;
}

bool log_enabled(LogLevel level)
{
    return level >= min_level;
}

bool log_level_parse(const char *name, LogLevel *out)
{
    static const struct {
        const char *name;
        LogLevel level;
    } names[] = {{"debug", LOG_DEBUG}, {"info", LOG_INFO},   {"warning", LOG_WARN},
                 {"warn", LOG_WARN},   {"error", LOG_ERROR}, {"fatal", LOG_FATAL}};
    for (size_t i = 0; i < LM_ARRAY_LEN(names); i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].level;
            return true;
        }
    return false;
}

void log_set_thread_name(const char *name)
{
    snprintf(thread_name, sizeof thread_name, "%s", name);
}

void lm_log(LogLevel level, const char *fmt, ...)
{
    if (level < min_level)
        return;
    char line[4096];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    int n = (int)strftime(line, sizeof line, "%Y-%m-%d %H:%M:%S", &tm);
    n += snprintf(line + n, sizeof line - (size_t)n, ".%03d UTC [%s] %s: ", (int)(tv.tv_usec / 1000),
                  thread_name, level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    n += m;
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, (size_t)n);
    (void)w;
}
