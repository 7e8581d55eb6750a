/*
 * stream_inputs.c: reading several operator inputs with barrier alignment
 * and watermark merging — for stream operators with two inputs (joins);
 * see stream_ops.h.
 *
 * Inputs are read round-robin, one event per call.  An input whose barrier
 * arrived is not read again until the barrier arrived on every input that
 * has not ended; then one BARRIER is returned.  The merged watermark is the
 * minimum over inputs that have not ended (an input without a watermark yet
 * holds it back), returned when it grows.  IDLE when a full round found
 * nothing; END when every input ended.
 */
#include "executor/stream_ops.h"

struct StreamInputs {
    Operator **in;
    int n;
    int rr;
    int64 *wm;
    bool *ended;
    bool *aligned;
    int naligned, nended;
    int64 align_id;
    int64 emitted_wm;
};

StreamInputs *stream_inputs_create(Arena *a, Operator **inputs, int ninputs)
{
    StreamInputs *s = arena_new(a, StreamInputs);
    s->in = arena_new_array(a, Operator *, ninputs);
    for (int i = 0; i < ninputs; i++)
        s->in[i] = inputs[i];
    s->n = ninputs;
    s->wm = arena_new_array(a, int64, ninputs);
    for (int i = 0; i < ninputs; i++)
        s->wm[i] = INT64_MIN;
    s->ended = arena_new_array(a, bool, ninputs);
    s->aligned = arena_new_array(a, bool, ninputs);
    s->emitted_wm = INT64_MIN;
    return s;
}

int64 stream_inputs_watermark(const StreamInputs *in, int input)
{
    return in->wm[input];
}

static bool advance_watermark(StreamInputs *s, ExecEvent *ev)
{
    int64 m = INT64_MAX;
    bool any = false;
    for (int i = 0; i < s->n; i++) {
        if (s->ended[i])
            continue;
        any = true;
        if (s->wm[i] < m)
            m = s->wm[i];
    }
    if (!any || m == INT64_MIN || m <= s->emitted_wm)
        return false;
    s->emitted_wm = m;
    ev->kind = EXEC_WATERMARK;
    ev->watermark = m;
    return true;
}

ExecEvent stream_inputs_next(StreamInputs *s, int *which)
{
    ExecEvent out = {0};
    *which = -1;
    int empty = 0;
    while (empty < s->n) {
        int i = s->rr;
        s->rr = (s->rr + 1) % s->n;
        if (s->ended[i] || s->aligned[i]) {
            empty++;
            continue;
        }
        ExecEvent ev = exec_next(s->in[i]);
        switch (ev.kind) {
        case EXEC_BATCH:
            *which = i;
            return ev;
        case EXEC_IDLE:
            empty++;
            continue;
        case EXEC_WATERMARK:
            empty = 0;
            if (ev.watermark > s->wm[i])
                s->wm[i] = ev.watermark;
            if (advance_watermark(s, &out))
                return out;
            continue;
        case EXEC_BARRIER:
            empty = 0;
            s->aligned[i] = true;
            s->naligned++;
            s->align_id = ev.checkpoint_id;
            break;
        case EXEC_END:
            empty = 0;
            s->ended[i] = true;
            s->nended++;
            if (s->nended == s->n)
                return ev;
            break;
        }
        if (s->naligned > 0 && s->naligned + s->nended >= s->n) {
            for (int k = 0; k < s->n; k++)
                s->aligned[k] = false;
            s->naligned = 0;
            out.kind = EXEC_BARRIER;
            out.checkpoint_id = s->align_id;
            return out;
        }
        if (ev.kind == EXEC_END && advance_watermark(s, &out))
            return out;
    }
    out.kind = s->nended == s->n ? EXEC_END : EXEC_IDLE;
    return out;
}
