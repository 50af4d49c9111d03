/* The per-character loop of extract/pdfium_source.py::_read_chars_python, in C, and the two
   object loops of its path walk (`_drawn_objects_python`, `_path_segments_python`).

A report page has thousands of characters; in Python each cost ~2.5 us (ctypes calls into
pdfium for its text object and origin and, as most glyphs are text objects of their own, for
font, size and matrix; a cache lookup; a dict), about half of reading a report. This is the same loop,
step for step, with the same double arithmetic in the same order, so its chars are identical
(tests/test_extract_pdfium.py compares the two on every layout). Everything that is not the
common case stays in Python and is called back: a new font, size or matrix (`run_of`), a
character its font's widths do not know (`rare`), a glyph not cached yet (`run.glyph`), a
rotated or flipped glyph (`run.corners`).

pdfium is not linked: the caller passes the addresses of the pdfium functions to call, the
ones pypdfium2 has already loaded.

Built by `pip install` when a C compiler is there (optional: without one, the Python loop runs).
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef void *(*text_object_fn)(void *, int);
typedef int (*char_origin_fn)(void *, int, double *, double *);
typedef int (*is_generated_fn)(void *, int);
typedef void *(*object_font_fn)(void *); /* FPDFTextObj_GetFont: the font object */
typedef double (*font_size_fn)(void *, int);
typedef struct {
    float a, b, c, d, e, f;
} Matrix; /* pdfium's FS_MATRIX */
typedef int (*char_matrix_fn)(void *, int, Matrix *);

/* What makes a run: the font object, size and matrix (a-d) of a text object's first char.
 * Fonts are told apart by object, never by name: producers give several fonts one name (Word
 * gives every subset the same prefix). A report draws most glyphs as text objects of their
 * own, so a new object usually has the same run. */
typedef struct {
    void *font;
    double size;
    float a, b, c, d;
} RunKey;

static void run_key_read(RunKey *k, void *page, int i, void *text_object,
                         object_font_fn object_font, font_size_fn font_size,
                         char_matrix_fn char_matrix) {
    Matrix m = {0};
    k->font = object_font(text_object);
    char_matrix(page, i, &m);
    k->size = font_size(page, i);
    k->a = m.a;
    k->b = m.b;
    k->c = m.c;
    k->d = m.d;
}

static int run_key_equal(const RunKey *k, const RunKey *other) {
    return k->font == other->font && k->size == other->size && k->a == other->a &&
           k->b == other->b && k->c == other->c && k->d == other->d;
}

static PyObject *KEY_TEXT, *KEY_FONTNAME, *KEY_SIZE, *KEY_UPRIGHT, *KEY_X0, *KEY_X1, *KEY_TOP,
    *KEY_BOTTOM, *ATTR_WIDTHS, *ATTR_GLYPHS, *ATTR_NAME, *ATTR_UPRIGHT, *ATTR_GLYPH,
    *ATTR_CORNERS;

/* The current run's attributes, fetched once per text object rather than per character. */
typedef struct {
    PyObject *run, *widths, *glyphs, *name, *upright;
} Run;

static void run_clear(Run *r) {
    Py_CLEAR(r->run);
    Py_CLEAR(r->widths);
    Py_CLEAR(r->glyphs);
    Py_CLEAR(r->name);
    Py_CLEAR(r->upright);
}

static int run_set(Run *r, PyObject *run) {
    run_clear(r);
    Py_INCREF(run);
    r->run = run;
    r->widths = PyObject_GetAttr(run, ATTR_WIDTHS);
    r->glyphs = PyObject_GetAttr(run, ATTR_GLYPHS);
    r->name = PyObject_GetAttr(run, ATTR_NAME);
    r->upright = PyObject_GetAttr(run, ATTR_UPRIGHT);
    if (!r->widths || !r->glyphs || !r->name || !r->upright)
        return -1;
    if (!PyDict_Check(r->widths) || !PyDict_Check(r->glyphs)) {
        PyErr_SetString(PyExc_TypeError, "a run's widths and glyphs must be dicts");
        return -1;
    }
    return 0;
}

/* (x0, x1, y0, y1) from the glyph shape, as _read_chars_python works them out. */
static int glyph_box(Run *r, PyObject *shape, double x, double y, double lag, double *x0,
                     double *x1, double *y0, double *y1) {
    PyObject *box = PyTuple_GET_ITEM(shape, 4);
    *x0 = x + lag;
    if (box != Py_None) {
        if (!PyTuple_Check(box) || PyTuple_GET_SIZE(box) != 3) {
            PyErr_SetString(PyExc_TypeError, "an upright box must be a 3-tuple");
            return -1;
        }
        double width = PyFloat_AsDouble(PyTuple_GET_ITEM(box, 0));
        double low = PyFloat_AsDouble(PyTuple_GET_ITEM(box, 1));
        double high = PyFloat_AsDouble(PyTuple_GET_ITEM(box, 2));
        if (PyErr_Occurred())
            return -1;
        *x1 = *x0 + width;
        *y0 = y + low;
        *y1 = y + high;
        return 0;
    }
    PyObject *args[5];
    args[0] = r->run;
    args[1] = PyTuple_GET_ITEM(shape, 1);
    args[2] = PyTuple_GET_ITEM(shape, 2);
    args[3] = PyFloat_FromDouble(*x0);
    args[4] = PyFloat_FromDouble(y);
    PyObject *corners = NULL;
    if (args[3] && args[4])
        corners = PyObject_VectorcallMethod(ATTR_CORNERS, args, 5, NULL);
    Py_XDECREF(args[3]);
    Py_XDECREF(args[4]);
    if (!corners)
        return -1;
    int ok = PyTuple_Check(corners) && PyTuple_GET_SIZE(corners) == 4;
    if (ok) {
        *x0 = PyFloat_AsDouble(PyTuple_GET_ITEM(corners, 0));
        *x1 = PyFloat_AsDouble(PyTuple_GET_ITEM(corners, 1));
        *y0 = PyFloat_AsDouble(PyTuple_GET_ITEM(corners, 2));
        *y1 = PyFloat_AsDouble(PyTuple_GET_ITEM(corners, 3));
    } else {
        PyErr_SetString(PyExc_TypeError, "corners() must return a 4-tuple");
    }
    Py_DECREF(corners);
    return (ok && !PyErr_Occurred()) ? 0 : -1;
}

static int set_float(PyObject *dict, PyObject *key, double value) {
    PyObject *number = PyFloat_FromDouble(value);
    if (!number)
        return -1;
    int status = PyDict_SetItem(dict, key, number);
    Py_DECREF(number);
    return status;
}

/* read_chars(textpage, texts, height, run_of, rare, no_loose, text_object, char_origin,
 *            is_generated, object_font, font_size, char_matrix)
 * -> list of char dicts (see _read_chars_python). */
static PyObject *read_chars(PyObject *self, PyObject *args) {
    unsigned long long page_at, text_object_at, char_origin_at, is_generated_at, object_font_at,
        font_size_at, char_matrix_at;
    PyObject *texts, *run_of, *rare, *no_loose;
    double height;
    if (!PyArg_ParseTuple(args, "KUdOOOKKKKKK", &page_at, &texts, &height, &run_of, &rare,
                          &no_loose, &text_object_at, &char_origin_at, &is_generated_at,
                          &object_font_at, &font_size_at, &char_matrix_at))
        return NULL;
    void *page = (void *)(uintptr_t)page_at;
    text_object_fn text_object = (text_object_fn)(uintptr_t)text_object_at;
    char_origin_fn char_origin = (char_origin_fn)(uintptr_t)char_origin_at;
    is_generated_fn is_generated = (is_generated_fn)(uintptr_t)is_generated_at;
    object_font_fn object_font = (object_font_fn)(uintptr_t)object_font_at;
    font_size_fn font_size = (font_size_fn)(uintptr_t)font_size_at;
    char_matrix_fn char_matrix = (char_matrix_fn)(uintptr_t)char_matrix_at;
    RunKey run_key = {0}, object_key = {0};

    Py_ssize_t count = PyUnicode_GET_LENGTH(texts);
    int kind = PyUnicode_KIND(texts);
    const void *data = PyUnicode_DATA(texts);

    PyObject *chars = PyList_New(0);
    PyObject *text = NULL, *last_text = NULL, *shape = NULL;
    Run run = {0};
    if (!chars)
        goto fail;

    void *run_object = NULL;  /* the text object `run` belongs to */
    void *lag_object = NULL;  /* the text object whose origins' lag `lag` is */
    void *last_key = NULL;    /* the previous glyph's text object and origin */
    double lag = 0.0, last_lag = 0.0, last_x = 0.0, last_y = 0.0;
    double x = 0.0, y = 0.0;  /* kept when pdfium cannot give an origin, as in Python */

    for (Py_ssize_t i = 0; i < count; i++) {
        Py_UCS4 code = PyUnicode_READ(kind, data, i);
        void *key = text_object(page, (int)i);
        if (!key || (code == ' ' && is_generated(page, (int)i) == 1))
            continue; /* a space or line break pdfium made up from a gap */
        char_origin(page, (int)i, &x, &y);
        if (key != run_object) { /* a new text object: is its run the last one's? */
            run_key_read(&object_key, page, (int)i, key, object_font, font_size, char_matrix);
            if (!run.run || !run_key_equal(&object_key, &run_key)) {
                PyObject *found = PyObject_CallFunction(run_of, "n", i);
                if (!found)
                    goto fail;
                int status = run_set(&run, found);
                Py_DECREF(found);
                if (status < 0)
                    goto fail;
                run_key = object_key;
            }
            run_object = key;
        }
        text = PyUnicode_FromOrdinal(code);
        if (!text)
            goto fail;
        int known = PyDict_Contains(run.widths, text);
        if (known < 0)
            goto fail;
        if (!known) { /* rare: a hyphen marker, a NUL, an unmapped char */
            PyObject *replaced = PyObject_CallFunction(rare, "nOO", i, run.run, text);
            if (!replaced)
                goto fail;
            Py_SETREF(text, replaced);
        }
        if (key == last_key && x == last_x && y == last_y) {
            /* one glyph, several characters (a ligature): one char */
            Py_ssize_t size = PyList_GET_SIZE(chars);
            if (size > 0 && PyList_SetSlice(chars, size - 1, size, NULL) < 0)
                goto fail;
            PyObject *joined = PyUnicode_Concat(last_text, text);
            if (!joined)
                goto fail;
            Py_SETREF(text, joined);
            lag = last_lag;
        } else {
            if (key != lag_object) {
                lag_object = key;
                lag = 0.0;
            }
            last_key = key;
            last_x = x;
            last_y = y;
            last_lag = lag;
        }
        Py_XSETREF(last_text, text); /* `text` now borrowed through last_text */
        text = NULL;

        shape = PyDict_GetItemWithError(run.glyphs, last_text);
        if (shape) {
            Py_INCREF(shape);
        } else {
            if (PyErr_Occurred())
                goto fail;
            shape = PyObject_CallMethodObjArgs(run.run, ATTR_GLYPH, last_text, no_loose, NULL);
            if (!shape)
                goto fail;
        }
        if (!PyTuple_Check(shape) || PyTuple_GET_SIZE(shape) != 5) {
            PyErr_SetString(PyExc_TypeError, "a glyph shape must be a 5-tuple");
            goto fail;
        }
        double step = PyFloat_AsDouble(PyTuple_GET_ITEM(shape, 3));
        if (step == -1.0 && PyErr_Occurred())
            goto fail;
        double x0, x1, y0, y1;
        if (glyph_box(&run, shape, x, y, lag, &x0, &x1, &y0, &y1) < 0)
            goto fail;
        PyObject *item = PyDict_New();
        if (!item)
            goto fail;
        if (PyDict_SetItem(item, KEY_TEXT, PyTuple_GET_ITEM(shape, 0)) < 0 ||
            PyDict_SetItem(item, KEY_FONTNAME, run.name) < 0 ||
            set_float(item, KEY_SIZE, y1 - y0) < 0 ||
            PyDict_SetItem(item, KEY_UPRIGHT, run.upright) < 0 ||
            set_float(item, KEY_X0, x0) < 0 || set_float(item, KEY_X1, x1) < 0 ||
            set_float(item, KEY_TOP, height - y1) < 0 ||
            set_float(item, KEY_BOTTOM, height - y0) < 0 || PyList_Append(chars, item) < 0) {
            Py_DECREF(item);
            goto fail;
        }
        Py_DECREF(item);
        Py_CLEAR(shape);
        lag += step;
    }
    run_clear(&run);
    Py_XDECREF(last_text);
    return chars;

fail:
    run_clear(&run);
    Py_XDECREF(text);
    Py_XDECREF(last_text);
    Py_XDECREF(shape);
    Py_XDECREF(chars);
    return NULL;
}

/* ---------------------------------------------------------------------------- the path walk */
/* Append `item` (a new reference, or NULL after an error) to `list`; -1 on error. */
static int append_new(PyObject *list, PyObject *item) {
    if (!item)
        return -1;
    int status = PyList_Append(list, item);
    Py_DECREF(item);
    return status;
}

typedef void *(*page_object_fn)(void *, int);
typedef void *(*form_object_fn)(void *, unsigned long);
typedef int (*object_type_fn)(void *);

/* drawn_objects(owner, count, in_form, get_object, object_type, kind_a, kind_b)
 * -> [(object, kind)] of the owner's objects (a page's, or a form's when in_form) whose kind
 * is kind_a or kind_b, in order. A report page is mostly text objects (one per glyph); the
 * path walk wants only paths and forms. */
static PyObject *drawn_objects(PyObject *self, PyObject *args) {
    unsigned long long owner_at, get_object_at, object_type_at;
    int count, in_form, kind_a, kind_b;
    if (!PyArg_ParseTuple(args, "KipKKii", &owner_at, &count, &in_form, &get_object_at,
                          &object_type_at, &kind_a, &kind_b))
        return NULL;
    void *owner = (void *)(uintptr_t)owner_at;
    page_object_fn page_object = (page_object_fn)(uintptr_t)get_object_at;
    form_object_fn form_object = (form_object_fn)(uintptr_t)get_object_at;
    object_type_fn object_type = (object_type_fn)(uintptr_t)object_type_at;
    PyObject *found = PyList_New(0);
    if (!found)
        return NULL;
    for (int i = 0; i < count; i++) {
        void *object = in_form ? form_object(owner, (unsigned long)i) : page_object(owner, i);
        int kind = object_type(object);
        if (kind != kind_a && kind != kind_b)
            continue;
        if (append_new(found, Py_BuildValue("(Ki)", (unsigned long long)(uintptr_t)object,
                                            kind)) < 0) {
            Py_DECREF(found);
            return NULL;
        }
    }
    return found;
}

typedef int (*segment_count_fn)(void *);
typedef void *(*segment_fn)(void *, int);
typedef int (*segment_point_fn)(void *, float *, float *);
typedef int (*segment_type_fn)(void *);
typedef int (*segment_closes_fn)(void *);

/* path_segments(path, segment_count, segment, segment_point, segment_type, segment_closes)
 * -> [(kind, x, y, closes)] of a path object's segments, points in the path's own space.
 * A point pdfium cannot give keeps the previous one, as the Python walk does. */
static PyObject *path_segments(PyObject *self, PyObject *args) {
    unsigned long long path_at, count_at, segment_at, point_at, type_at, closes_at;
    if (!PyArg_ParseTuple(args, "KKKKKK", &path_at, &count_at, &segment_at, &point_at, &type_at,
                          &closes_at))
        return NULL;
    void *path = (void *)(uintptr_t)path_at;
    segment_count_fn segment_count = (segment_count_fn)(uintptr_t)count_at;
    segment_fn segment = (segment_fn)(uintptr_t)segment_at;
    segment_point_fn segment_point = (segment_point_fn)(uintptr_t)point_at;
    segment_type_fn segment_type = (segment_type_fn)(uintptr_t)type_at;
    segment_closes_fn segment_closes = (segment_closes_fn)(uintptr_t)closes_at;
    int count = segment_count(path);
    PyObject *found = PyList_New(0);
    if (!found)
        return NULL;
    float x = 0.0f, y = 0.0f;
    for (int i = 0; i < count; i++) {
        void *piece = segment(path, i);
        segment_point(piece, &x, &y);
        if (append_new(found, Py_BuildValue("(iddi)", segment_type(piece), (double)x,
                                            (double)y, segment_closes(piece) ? 1 : 0)) < 0) {
            Py_DECREF(found);
            return NULL;
        }
    }
    return found;
}

static PyMethodDef methods[] = {
    {"read_chars", read_chars, METH_VARARGS,
     "The char dicts of one pdfium text page (extract/pdfium_source.py)."},
    {"drawn_objects", drawn_objects, METH_VARARGS,
     "A page's or form's objects of two kinds, in order (extract/pdfium_source.py)."},
    {"path_segments", path_segments, METH_VARARGS,
     "A path object's segments (extract/pdfium_source.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdfium_chars",
    "The pdfium reader's per-character and per-object loops in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__pdfium_chars(void) {
#define INTERN(var, s)                                                                       \
    if (!(var = PyUnicode_InternFromString(s)))                                              \
        return NULL;
    INTERN(KEY_TEXT, "text");
    INTERN(KEY_FONTNAME, "fontname");
    INTERN(KEY_SIZE, "size");
    INTERN(KEY_UPRIGHT, "upright");
    INTERN(KEY_X0, "x0");
    INTERN(KEY_X1, "x1");
    INTERN(KEY_TOP, "top");
    INTERN(KEY_BOTTOM, "bottom");
    INTERN(ATTR_WIDTHS, "widths");
    INTERN(ATTR_GLYPHS, "glyphs");
    INTERN(ATTR_NAME, "name");
    INTERN(ATTR_UPRIGHT, "upright");
    INTERN(ATTR_GLYPH, "glyph");
    INTERN(ATTR_CORNERS, "corners");
#undef INTERN
    PyObject *created = PyModule_Create(&module);
    /* read_chars's signature: pdfium_source.py ignores a module built from another one (an
     * install that was not rebuilt) and runs the Python loop instead */
    if (created && PyModule_AddIntConstant(created, "signature", 4) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
