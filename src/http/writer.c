/* SPDX-License-Identifier: MIT */
/* writer.c - one thread that commits every write, several at a time.
 *
 * With synchronous=FULL each commit waits for the disk (a few ms here), so
 * committing writes one by one caps the server at a few hundred per second.
 * Workers queue jobs instead and suspend their connection; the writer takes
 * every job queued so far (up to `batch`), runs each inside a savepoint of
 * one transaction, commits once, and only then resumes the connections:
 * nothing is acknowledged before it is durable. A job that fails rolls back
 * to its savepoint without disturbing the others. Jobs marked solo (imports,
 * which manage their own transaction) run alone. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"
#include "store/store.h"

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct http_job *head, *tail; /* queue */
    bool stopping;                /* set by http_writer_stop */
    bool running;                 /* thread started */
    pthread_t thread;             /* the writer */
    struct store *store;          /* its connection */
    int batch;                    /* most jobs per transaction */
    void (*resume)(struct http_job *j);
} w = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void finish(struct http_job *j)
{
    atomic_store(&j->finished, true);
    w.resume(j);
}

static void run_solo(struct http_job *j)
{
    zc_error_clear(&j->err);
    j->rc = j->run(w.store, j, &j->err);
    store_rollback(w.store); /* no-op unless the job left a transaction open */
    finish(j);
}

static void run_batch(struct http_job **jobs, int n)
{
    struct zc_error err = {0};
    int rc = store_begin(w.store, &err);
    for (int i = 0; i < n; i++) {
        struct http_job *j = jobs[i];
        zc_error_clear(&j->err);
        if (rc != ZC_OK) {
            j->rc = rc;
            j->err = err;
            continue;
        }
        j->rc = store_begin(w.store, &j->err); /* the job's savepoint */
        if (j->rc != ZC_OK)
            continue;
        j->rc = j->run(w.store, j, &j->err);
        if (j->rc == ZC_OK)
            j->rc = store_commit(w.store, &j->err);
        if (j->rc != ZC_OK)
            store_rollback(w.store); /* to the job's savepoint */
    }
    if (rc == ZC_OK)
        rc = store_commit(w.store, &err);
    if (rc != ZC_OK) {
        store_rollback(w.store);
        for (int i = 0; i < n; i++) {
            if (jobs[i]->rc == ZC_OK) {
                jobs[i]->rc = rc;
                jobs[i]->err = err;
            }
        }
    }
    for (int i = 0; i < n; i++)
        finish(jobs[i]);
}

static void *writer_main(void *arg)
{
    struct http_job **jobs = zc_calloc((size_t)w.batch, sizeof(*jobs));
    (void)arg;
    for (;;) {
        int n = 0;
        bool solo = false;
        pthread_mutex_lock(&w.mu);
        while (!w.head && !w.stopping)
            pthread_cond_wait(&w.cv, &w.mu);
        if (!w.head && w.stopping) {
            pthread_mutex_unlock(&w.mu);
            break;
        }
        if (w.head->solo) {
            jobs[n++] = w.head;
            w.head = w.head->next;
            solo = true;
        } else {
            while (w.head && !w.head->solo && n < w.batch) {
                jobs[n++] = w.head;
                w.head = w.head->next;
            }
        }
        if (!w.head)
            w.tail = NULL;
        pthread_mutex_unlock(&w.mu);
        if (solo)
            run_solo(jobs[0]);
        else
            run_batch(jobs, n);
    }
    free(jobs);
    return NULL;
}

int http_writer_start(const char *db_path, int batch, void (*resume)(struct http_job *j),
                      struct zc_error *err)
{
    int rc = store_open(db_path, 0, &w.store, err);
    if (rc != ZC_OK)
        return rc;
    w.batch = batch > 0 ? batch : 1;
    w.resume = resume;
    w.stopping = false;
    if (pthread_create(&w.thread, NULL, writer_main, NULL) != 0) {
        store_close(w.store);
        w.store = NULL;
        return zc_error_set(err, ZC_EIO, "cannot start the writer thread");
    }
    w.running = true;
    return ZC_OK;
}

void http_writer_submit(struct http_job *j)
{
    j->next = NULL;
    atomic_store(&j->finished, false);
    pthread_mutex_lock(&w.mu);
    if (w.stopping || !w.running) {
        /* The writer drains what was queued before the stop and takes nothing
         * after it: a job accepted now would leave its connection suspended
         * for ever (and MHD_stop_daemon aborts on a suspended connection). */
        pthread_mutex_unlock(&w.mu);
        j->rc = zc_error_set(&j->err, ZC_EUNAVAILABLE,
                             "the server is stopping; nothing was written, send it again");
        finish(j);
        return;
    }
    if (w.tail)
        w.tail->next = j;
    else
        w.head = j;
    w.tail = j;
    pthread_cond_signal(&w.cv);
    pthread_mutex_unlock(&w.mu);
}

void http_writer_stop(void)
{
    if (!w.running)
        return;
    pthread_mutex_lock(&w.mu);
    w.stopping = true;
    pthread_cond_signal(&w.cv);
    pthread_mutex_unlock(&w.mu);
    pthread_join(w.thread, NULL);
    w.running = false;
    store_close(w.store);
    w.store = NULL;
}
