/* result.c: materialised result sets for utility statements (see result.h). */
#include "server/result.h"

ResultSet *result_create(Arena *a, int ncols)
{
    ResultSet *rs = arena_new(a, ResultSet);
    rs->arena = a;
    rs->cols = arena_new_array(a, ResultColumn, ncols);
    rs->types = arena_new_array(a, const LmType *, ncols);
    rs->desc.ncols = ncols;
    rs->desc.cols = rs->cols;
    return rs;
}

void result_column(ResultSet *rs, int i, const char *name, const LmType *type)
{
    rs->cols[i].name = name;
    rs->cols[i].type = type;
    rs->types[i] = type;
}

static Batch *current(ResultSet *rs)
{
    return rs->batches[rs->nbatches - 1];
}

void result_add_row(ResultSet *rs)
{
    if (rs->nbatches == 0 || current(rs)->count == LM_BATCH_SIZE) {
        if (rs->nbatches == rs->cap) {
            int cap = rs->cap ? rs->cap * 2 : 4;
            rs->batches = arena_realloc(rs->arena, rs->batches, sizeof(Batch *) * (size_t)rs->cap,
                                        sizeof(Batch *) * (size_t)cap);
            rs->cap = cap;
        }
        rs->batches[rs->nbatches++] =
            batch_create(rs->arena, rs->desc.ncols, rs->types, LM_BATCH_SIZE);
    }
    Batch *b = current(rs);
    int row = b->count++;
    for (int c = 0; c < b->ncols; c++)
        vector_set_null(&b->cols[c], row);
    rs->nrows++;
}

static Vector *cell(ResultSet *rs, int col, int *row)
{
    Batch *b = current(rs);
    *row = b->count - 1;
    return &b->cols[col];
}

void result_set_text(ResultSet *rs, int col, const char *s)
{
    int row;
    Vector *v = cell(rs, col, &row);
    if (s == NULL) {
        vector_set_null(v, row);
        return;
    }
    vector_set_cstr(v, rs->arena, row, s);
}

void result_set_bool(ResultSet *rs, int col, bool val)
{
    int row;
    Vector *v = cell(rs, col, &row);
    vector_set_bool(v, row, val);
}

void result_set_int64(ResultSet *rs, int col, int64 val)
{
    int row;
    Vector *v = cell(rs, col, &row);
    if (v->type->id == TYPE_INT32)
        vector_set_int32(v, row, (int32)val);
    else
        vector_set_int64(v, row, val);
}

void result_set_timestamp(ResultSet *rs, int col, int64 micros)
{
    int row;
    Vector *v = cell(rs, col, &row);
    vector_set_int64(v, row, micros);
}
