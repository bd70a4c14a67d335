"""A generated batch loop for the common persistent query: DELIMITED in, filter, project, JSON/DELIMITED out.

The generic path calls one closure per step and per column. This path generates one Python function per
query with the fields parsed inline, the filter and projection inlined over local variables, and the output
line built by a single %-format when every value is in the range where Python's repr equals Java's
Double.toString. Any record the fast loop cannot handle exactly (quotes, empty fields, parse errors,
evaluation errors, out-of-range doubles, nulls) goes to the generic path, so results are identical.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import HEADER
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope
from ksqlserver.drivers.base import Record
from ksqlserver.extensions.batching import BatchCalls
from ksqlserver.formats.delimited import _parser, _quote
from ksqlserver.formats.fast_delimited import fast_decoder
from ksqlserver.formats.fast_json import native_row_writer
from ksqlserver.formats.javatext import java_double
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.logical import FilterStep, ProjectStep
from ksqlserver.sql import ast

_FAST_IN = {"INTEGER", "BIGINT", "DOUBLE", "STRING", "BOOLEAN"}
_FAST_OUT = {"INTEGER", "BIGINT", "DOUBLE", "STRING", "BOOLEAN"}
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _java_json_fragment(d: float) -> orjson.Fragment:
    """A double as the JSON writer (formats.json_format) renders it: Java's text; NaN and infinities as
    strings."""
    text = java_double(float(d))
    return orjson.Fragment(f'"{text}"' if text[-1] in "yN" else text)


def _unquote(fields: list[str], line: str, delim: str = ",") -> list[str]:
    """Fields of a line with quotes: plain `"x"` fields are unwrapped here; anything else via csv."""
    for k, x in enumerate(fields):
        if '"' in x:
            if len(x) >= 2 and x[0] == '"' and x[-1] == '"' and '"' not in x[1:-1]:
                fields[k] = x[1:-1]
            else:
                return next(csv.reader([line], delimiter=delim), [""])
    return fields


def build(
    source: DataSource,
    sink: DataSource,
    scope: Scope,
    filt: FilterStep | None,
    project: ProjectStep,
    registry: FunctionRegistry,
    key_pos: Sequence[int],
    val_pos: Sequence[int],
) -> Callable[[Sequence[Record], list[Any], Callable[[Record], None]], None] | None:
    """The fast loop for this query, or None when it does not qualify (the generic path then runs alone)."""
    cols = source.schema.columns
    if source.value_format != "DELIMITED" or sink.value_format not in ("JSON", "DELIMITED"):
        return None
    if any(c.namespace == HEADER for c in cols) or source.timestamp_column or sink.timestamp_column:
        return None
    value_cols = source.schema.value_only
    if any(c.type.base not in _FAST_IN for c in value_cols):
        return None
    out_types = [project.projections[i].type for i in val_pos]
    if any(t is None or t.base not in _FAST_OUT for t in out_types):
        return None
    if sink.value_format == "JSON" and len(val_pos) == 1 and sink.value_options.wrap_single_value is False:
        return None
    comp = Compiler(scope, registry, "SELECT")
    ns = comp.ns
    ns.update(
        {
            "Record": Record,
            "_new": tuple.__new__,
            "_unquote": lambda f, s: _unquote(f, s, delim),
            "_dumps": _dumps,
            "_quote": _quote,
            "_kde": source.key_serde.deserialize,
            "_kser": sink.key_serde.serialize,
            "_vser": sink.value_serde.serialize,
        }
    )
    n_key = len(source.schema.key)
    delim = source.value_options.delimiter
    cond = comp.expr(filt.predicate)[0] if filt is not None else None
    # plugin batch functions (e.g. a model score): the loop stages the micro-batch's rows, makes one call
    # per function for all of them, then projects (see extensions/batching.py)
    comp.batch_calls = BatchCalls()
    proj = [comp.expr(p.expression)[0] for p in project.projections]
    batched = bool(comp.batch_calls)
    if batched:
        ns["_fill"] = comp.batch_calls.fill
    # the action for a record this loop leaves to the generic path; with batch functions it is deferred
    # to the projection loop so outputs keep their input order
    slow = "stage((rec, None))" if batched else "slow(rec)"
    lines = ["def _fast(records, out, slow):", "    append = out.append"]
    if batched:
        lines += ["    staged = []", "    stage = staged.append"]
    lines += [
        "    for rec in records:",
        "        v = rec[1]",
        "        if v is None:",
        f"            {slow}",
        "            continue",
    ]
    start_parse = len(lines)
    lines += [
        "        try:",
        "            s = v.decode()",
        "        except UnicodeDecodeError:",
        f"            {slow}",
        "            continue",
        f"        f = s.split({delim!r})",
        "        if '\"' in s:",
        # a quoted empty field is null; an escaped quote needs csv: both for the generic path
        "            if '\"\"' in s:",
        f"                {slow}",
        "                continue",
        # the common shape (a quoted last field, e.g. a "0"/"1" label) without a Python loop
        "            last = f[-1]",
        "            if s.count('\"') == 2 and last[:1] == '\"' and last[-1:] == '\"' and len(last) > 1:",
        "                f[-1] = last[1:-1]",
        "            else:",
        "                f = _unquote(f, s)",
        # an empty field is null: the generic path handles it (found without scanning every field)
        f"        if len(f) != {len(value_cols)} or {delim * 2!r} in s or s[:1] == {delim!r} "
        f"or s[-1:] == {delim!r} or f[-1] == '':",
        f"            {slow}",
        "            continue",
        "        try:",
    ]
    if n_key:
        lines += ["            key = _kde(rec[0])", f"            if key is None: key = [None] * {n_key}"]
    # every field is parsed (a malformed one must fail as in the generic path); runs of one numeric type
    # are parsed with map(), which stays in C
    parsed: list[str] = []
    i = 0
    while i < len(value_cols):
        b = value_cols[i].type.base
        j = i
        while j < len(value_cols) and value_cols[j].type.base == b:
            j += 1
        if b == "DOUBLE":
            parsed.append(f"*map(float, f[{i}:{j}])" if j - i > 1 else f"float(f[{i}])")
        elif b in ("INTEGER", "BIGINT"):
            parsed.append(f"*map(int, f[{i}:{j}])" if j - i > 1 else f"int(f[{i}])")
        elif b == "STRING":
            parsed.append(f"*f[{i}:{j}]" if j - i > 1 else f"f[{i}]")
        else:
            for k in range(i, j):
                ns[f"_p{k}"] = _parser(value_cols[k].type)
                parsed.append(f"_p{k}(f[{k}])")
        i = j
    prefix = "key + " if n_key else ""
    lines += [
        f"            row = {prefix}[{', '.join(parsed)}, rec[2], rec[3], rec[4]]",
        "        except Exception:",
        f"            {slow}",
        "            continue",
    ]
    # value columns no expression reads are only checked by the compiled decoder, not built (None)
    read = {
        n.name
        for e in [*(p.expression for p in project.projections), *([filt.predicate] if filt else [])]
        for n in ast.walk(e)
        if isinstance(n, ast.ColumnRef)
    }
    unread = {k for k, c in enumerate(value_cols) if c.name not in read}
    # lines the C decoder (or orjson) reads are decoded in one call (formats.fast_delimited); the
    # split-and-parse code above stays for the others
    fde = fast_decoder(value_cols, delim, [_parser(c.type) for c in value_cols], unread)
    if fde is not None:
        ns["_fde"] = fde
        split_parse = ["    " + x for x in lines[start_parse:]]
        del lines[start_parse:]
        lines += ["        vals = _fde(v)", "        if vals is not None:"]
        if n_key:
            lines += [
                "            try:",
                "                key = _kde(rec[0])",
                "            except Exception:",
                f"                {slow}",
                "                continue",
                f"            row = ([None] * {n_key} if key is None else key) + vals",
            ]
        else:
            lines.append("            row = vals")
        lines += ["            row += (rec[2], rec[3], rec[4])", "        else:", *split_parse]
    if cond is not None:
        lines += [
            "        try:",
            f"            if ({cond}) is not True:",
            "                continue",
            "        except Exception:",
            f"            {slow}",
            "            continue",
        ]
    if batched:
        lines += [
            "        stage((rec, row))",
            "    rows = [row for _, row in staged if row is not None]",
            "    if rows:",
            "        _fill(rows)",
            "    for rec, row in staged:",
            "        if row is None:",
            "            slow(rec)",
            "            continue",
        ]
    lines.append("        try:")
    for i, code in enumerate(proj):
        lines.append(f"            p{i} = {code}")
    lines += ["        except Exception:", "            slow(rec)", "            continue"]
    if comp.guarded(*proj):  # a nested failure (null, but reported): the generic path reports it
        lines += ["        if _failures:", "            _failures.clear()", "            slow(rec)", "            continue"]

    # a projection that is just a parsed value column is never null here (empty fields took the slow path)
    parsed_refs = {f"row[{n_key + k}]" for k in range(len(value_cols))}
    checks, args, parts = [], [], []
    sink_delim = sink.value_options.delimiter
    for i, t in zip(val_pos, out_types, strict=True):
        assert t is not None
        name = project.projections[i].name
        not_null = "" if proj[i] in parsed_refs else f"p{i} is not None and "
        if sink.value_format == "DELIMITED" and not parts and t.base in ("DOUBLE", "INTEGER", "BIGINT"):
            # the first DELIMITED field is quoted when it starts with a sign (Commons CSV): generic path
            checks.append(f"{not_null}p{i} > 0")
        if t.base == "DOUBLE":
            if sink.value_format == "JSON":  # orjson writes doubles outside the range as Java's text
                if not_null:
                    checks.append(f"p{i} is not None")
            else:
                checks.append(f"{not_null}(1e-3 <= p{i} < 1e7 or -1e7 < p{i} <= -1e-3 or p{i} == 0.0)")
            args.append(f"p{i}")
            fmt = "%r"
        elif t.base in ("INTEGER", "BIGINT"):
            if not_null:
                checks.append(f"p{i} is not None")
            args.append(f"p{i}")
            fmt = "%d"
        elif t.base == "BOOLEAN":
            checks.append(f"p{i} is not None")
            args.append(f"('true' if p{i} else 'false')")
            fmt = "%s"
        else:
            checks.append(f"p{i} is not None")
            first = not parts
            args.append(
                f"_dumps(p{i})" if sink.value_format == "JSON" else f"_quote(p{i}, {sink_delim!r}, {first})"
            )
            fmt = "%s"
        if sink.value_format == "JSON":
            parts.append(_dumps(name).replace("%", "%%") + ":" + fmt)
        else:
            parts.append(fmt)
    template = "{" + ",".join(parts) + "}" if sink.value_format == "JSON" else sink_delim.join(parts)
    ns["_TEMPLATE"] = template
    cond = " and ".join(f"({c})" for c in checks) or "True"
    vals = ", ".join(f"p{i}" for i in val_pos)
    tuple_args = ", ".join(args) + ("," if len(args) == 1 else "")
    generic_value = f"_vser([{vals}{',' if len(val_pos) == 1 else ''}])"
    sink_cols = list(sink.schema.value_only)  # what the sink's value serde writes, in order
    jrow = native_row_writer(sink_cols) if sink.value_format == "JSON" else None
    if jrow is not None and [c.name for c in sink_cols] == [project.projections[i].name for i in val_pos]:
        # the compiled row writer renders every value as the generic writers would (Java text for any
        # double, nulls) and answers None for what it leaves to them
        ns["_jrow"] = jrow
        lines += [
            f"        value = _jrow(({vals}{',' if len(val_pos) == 1 else ''}))",
            "        if value is None:",
            f"            value = {generic_value}",
        ]
    elif sink.value_format == "JSON":
        # orjson writes these values as the %-template would (floats in the checked range: the shortest
        # repr; strings escaped as json's encoder does); what it refuses (ints beyond 64 bits, lone
        # surrogates) goes through the sink's serializer
        ns["_odumps"] = orjson.dumps
        ns["_jtext"] = _java_json_fragment
        items = []
        for i, t in zip(val_pos, out_types, strict=True):
            assert t is not None
            if t.base == "BOOLEAN":
                arg = f"(True if p{i} else False)"
            elif t.base == "DOUBLE":
                # the shortest repr (orjson's text) is Java's only between 1e-3 and 1e7; elsewhere the
                # Java text goes in as a pre-serialised fragment (scores below 1e-3 are common)
                arg = f"(p{i} if 1e-3 <= p{i} < 1e7 or -1e7 < p{i} <= -1e-3 or p{i} == 0.0 else _jtext(p{i}))"
            else:
                arg = f"p{i}"
            items.append(f"{project.projections[i].name!r}: {arg}")
        lines += [
            f"        if {cond}:",
            "            try:",
            f"                value = _odumps({{{', '.join(items)}}})",
            "            except TypeError:",
            f"                value = {generic_value}",
            "        else:",
            f"            value = {generic_value}",
        ]
    else:
        lines += [
            f"        if {cond}:",
            f"            value = (_TEMPLATE % ({tuple_args})).encode()",
            "        else:",
            f"            value = {generic_value}",
        ]
    if key_pos:
        kv = ", ".join(f"p{i}" for i in key_pos)
        if len(key_pos) == 1:
            lines.append(f"        key_bytes = None if p{key_pos[0]} is None else _kser([{kv}])")
        else:
            all_null = " and ".join(f"p{i} is None" for i in key_pos)
            lines.append(f"        key_bytes = None if {all_null} else _kser([{kv}])")
    else:
        lines.append("        key_bytes = None")
    # tuple.__new__ skips NamedTuple's Python-level constructor
    lines.append(
        f"        append(_new(Record, (key_bytes, value, rec[2], rec[3], 0, rec[5], {sink.topic!r})))"
    )
    src = "\n".join(lines) + "\n"
    exec(compile(src, "<ksql fast path>", "exec"), ns)  # generated from the typed plan only
    return ns["_fast"]  # type: ignore[no-any-return]
