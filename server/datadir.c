/*
 * datadir.c: the data directory's lock file.
 *
 * laminard.pid holds the owning process id and is flock()ed for the life of
 * the server.  flock() is released by the kernel when the process dies, so a
 * kill -9 never leaves a stale lock behind, while a second server on the same
 * directory is refused with the pid of the first.
 */
#include "server/datadir.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int lock_fd = -1;
static char lock_path[4096];

static bool mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

bool datadir_lock(const char *datadir)
{
    if (!mkdir_p(datadir)) {
        lm_log(LOG_FATAL, "could not create data directory \"%s\": %s", datadir, strerror(errno));
        return false;
    }
    snprintf(lock_path, sizeof lock_path, "%s/laminard.pid", datadir);
    lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0) {
        lm_log(LOG_FATAL, "could not open lock file \"%s\": %s", lock_path, strerror(errno));
        return false;
    }
    if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char pidbuf[32] = {0};
        ssize_t n = pread(lock_fd, pidbuf, sizeof pidbuf - 1, 0);
        int pid = n > 0 ? atoi(pidbuf) : 0;
        lm_log(LOG_FATAL,
               "data directory \"%s\" is already in use by another laminard (pid %d); "
               "stop that server or choose another directory with -D",
               datadir, pid);
        close(lock_fd);
        lock_fd = -1;
        return false;
    }
    char pidbuf[32];
    int len = snprintf(pidbuf, sizeof pidbuf, "%d\n", (int)getpid());
    if (ftruncate(lock_fd, 0) != 0 || pwrite(lock_fd, pidbuf, (size_t)len, 0) != len) {
        lm_log(LOG_FATAL, "could not write lock file \"%s\": %s", lock_path, strerror(errno));
        return false;
    }
    return true;
}

void datadir_unlock(void)
{
    if (lock_fd >= 0) {
        unlink(lock_path);
        close(lock_fd);
        lock_fd = -1;
    }
}
