/*
 * vector.h: column vectors and batches, the unit every operator works on.
 *
 * A Vector holds up to LM_BATCH_SIZE values of one type in a flat array
 * (layout per type in types.h) plus a validity bitmap (bit set = not NULL;
 * a NULL bitmap pointer means "all valid").  Variable-width values are
 * StrViews pointing into memory owned by the batch's arena.  A Batch is a set
 * of equally long vectors, an optional selection vector (the rows that are
 * live, in order; filters produce these instead of copying) and, for
 * changelog streams, an optional per-row operation.
 *
 * Batches are built in an arena that the producer resets once the consumer
 * is done with the batch; nothing in a batch is freed individually.
 */
#ifndef LM_VECTOR_H
#define LM_VECTOR_H

#include "common/types.h"

#define LM_BATCH_SIZE 1024

typedef struct Vector Vector;
struct Vector {
    const LmType *type;
    void *data;       /* capacity * type_physical_size(type) bytes */
    uint64 *validity; /* NULL: all rows valid */
    int capacity;
    /* nested types: ARRAY 1 child (elements), MAP 2 (keys, values), STRUCT nfields */
    int nchildren;
    Vector *children;
    int child_count; /* elements used in the children of an ARRAY/MAP */
    Arena *arena;    /* where vector_init allocated; used for the lazy bitmap and growth */
};

/* Row operations of a changelog stream (DESIGN.md: insert/update/delete). */
typedef enum RowOp { ROW_INSERT = 0, ROW_DELETE = 1, ROW_UPDATE_BEFORE = 2, ROW_UPDATE_AFTER = 3 } RowOp;

typedef struct Batch {
    int ncols;
    Vector *cols;
    int count;     /* rows in the vectors */
    uint16 *sel;   /* NULL: rows 0..count-1 are live */
    int nsel;      /* live rows when sel != NULL */
    uint8 *ops;    /* RowOp per row; NULL: all inserts */
    Arena *arena;  /* owns the vectors' memory and var-width data */
} Batch;

static inline bool vector_is_valid(const Vector *v, int row)
{
    return v->validity == NULL || (v->validity[row >> 6] >> (row & 63)) & 1;
}

void vector_set_null(Vector *v, int row);  /* allocates the bitmap on first NULL */
void vector_set_valid(Vector *v, int row);

/* Number of live rows and the i-th live row index. */
static inline int batch_live_count(const Batch *b)
{
    return b->sel ? b->nsel : b->count;
}
static inline int batch_row(const Batch *b, int i)
{
    return b->sel ? b->sel[i] : i;
}

void vector_init(Vector *v, Arena *a, const LmType *type, int capacity);
Batch *batch_create(Arena *a, int ncols, const LmType *const *types, int capacity);
/* Grows an ARRAY/MAP vector's children to hold at least n elements. */
void vector_reserve_children(Vector *v, Arena *a, int n);

/* Convenience setters for building small result batches (SHOW, catalog views). */
void vector_set_str(Vector *v, Arena *a, int row, const char *s, size_t len); /* copies */
void vector_set_cstr(Vector *v, Arena *a, int row, const char *s); /* NULL s sets NULL */
void vector_set_int64(Vector *v, int row, int64 x); /* INT8..INT64, OID, TIMESTAMP(TZ), TIME */
void vector_set_int32(Vector *v, int row, int32 x); /* INT32, DATE */
void vector_set_bool(Vector *v, int row, bool x);
void vector_set_float64(Vector *v, int row, double x);

/*
 * Value I/O in PostgreSQL's formats (text as PostgreSQL prints it with
 * DateStyle ISO, MDY and IntervalStyle postgres; binary as its send/recv
 * functions).  Formatting appends to out; NULLs are the caller's concern.
 * Parsing stores into row `row` of v (copying var-width data into arena a)
 * and raises 22P02/22003/22007/22008 (text) or 22P03 (binary) on bad input.
 */
void value_format_text(const Vector *v, int row, StrBuf *out);
void value_format_binary(const Vector *v, int row, StrBuf *out);
void value_parse_text(Vector *v, Arena *a, int row, const char *text, size_t len);
void value_parse_binary(Vector *v, Arena *a, int row, const char *data, size_t len);

/*
 * One value as a JSON value, as PostgreSQL's to_json() writes it (numbers
 * bare, timestamps "2024-01-01T14:30:00", arrays [..], MAP/STRUCT {..},
 * NULL as null), and the reverse: a JSON value decoded into row `row`
 * (arrays into ARRAY children, objects into MAP/STRUCT children by key,
 * strings and other scalars through the type's text input).  Raises 22P02.
 */
void value_format_json(const Vector *v, int row, StrBuf *out);
void value_parse_json(Vector *v, Arena *a, int row, const char *json, size_t len);

#endif
