/*
 * log.h: leveled server log on stderr.
 *
 * One line per message: "2026-11-21 17:40:01.123 UTC [thread] LEVEL: text".
 * The minimum level is set once at start-up (--log-level / log_level).
 */
#ifndef LM_LOG_H
#define LM_LOG_H

#include "common/lm.h"

typedef enum LogLevel { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_FATAL } LogLevel;

void lm_log(LogLevel level, const char *fmt, ...) LM_PRINTF(2, 3);
void log_set_level(LogLevel level);
bool log_enabled(LogLevel level);
/* Parses "debug", "info", "warning"/"warn", "error", "fatal"; returns false if unknown. */
bool log_level_parse(const char *name, LogLevel *out);
/* Names the calling thread in log lines (copied, at most 15 bytes). */
void log_set_thread_name(const char *name);

#endif
