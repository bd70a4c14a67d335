/* The text formats' C helpers as one extension module (`_textformats`), one translation unit so the JSON
   writer inlines the Java double text as before: the DELIMITED decoder, Java's Double.toString, the JSON
   row writer and object reader. Built and loaded by formats/native/__init__.py. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "delimited.c"
#include "javatext.c"
#include "jsonrow.c"
#include "jsonobject.c"

static PyMethodDef methods[] = {
    {"java_double", (PyCFunction)java_double, METH_O, "java_double(x) -> str: Java's Double.toString."},
    {"json_row", (PyCFunction)(void (*)(void))json_row, METH_FASTCALL,
     "json_row(heads, codes, values) -> bytes | None: a JSON object as the generic writers render it."},
    {"json_object", (PyCFunction)(void (*)(void))json_object, METH_FASTCALL,
     "json_object(names, codes, data) -> list | None: a flat JSON object's column values, or None to "
     "leave it to the generic decoder."},
    {"decode", (PyCFunction)(void (*)(void))decode, METH_FASTCALL,
     "decode(spec, data) -> list | None: a DELIMITED line's values, or None to leave it to the generic "
     "decoder."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_textformats", NULL, -1, methods};

PyMODINIT_FUNC PyInit__textformats(void) {
    if (c_locale == (locale_t)0) {
        c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
        if (c_locale == (locale_t)0) {
            PyErr_SetString(PyExc_OSError, "newlocale(C) failed");
            return NULL;
        }
    }
    return PyModule_Create(&module);
}
