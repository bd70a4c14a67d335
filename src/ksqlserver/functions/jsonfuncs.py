"""JSON-string functions as ksqlDB's Jackson-based UDFs do them: the first JSON value of the text (empty
text is "missing"), exact decimals, JsonNode.toString for nested values, TO_JSON_STRING with sorted
struct fields and map keys and temporal values as text."""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ksqlserver.catalog import sqltime
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.formats.javamap import hashmap_order, table_size_for
from ksqlserver.formats.javatext import date_text, java_double, timestamp_text
from ksqlserver.functions.paramtypes import Arg
from ksqlserver.functions.registry import FunctionRegistry, V, built, udf
from ksqlserver.functions.utf16 import to_units

_WS = " \t\n\r"
_U_ESC = re.compile(r"\\u00([0-9a-f]{2})")
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _no_constant(name: str) -> Any:
    raise ValueError(f"Non-standard token '{name}'")


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)
MISSING = object()  # Jackson's MissingNode: the text holds no value


def _java_identifier_part(c: str) -> bool:
    """Character.isJavaIdentifierPart, closely enough for the character after a JSON literal."""
    o = ord(c)
    return (
        c.isalnum() or c in "_$" or unicodedata.category(c) in ("Pc", "Sc", "Mn", "Mc", "Nl", "Cf")
        or o <= 0x08 or 0x0E <= o <= 0x1B or 0x7F <= o <= 0x9F
    )


def _bad_scalar_end(s: str, start: int, end: int, value: Any, root: bool) -> bool:
    """Whether Jackson's parser would reject the scalar token Python's decoder read from s[start:end]:
    json's number pattern stops before a leading zero's next digit, a '.' without digits or an 'e' without
    an exponent (Jackson: "Leading zeroes not allowed", "Decimal point not followed by a digit", ...);
    a root-level number must be followed by white space (ReaderBasedJsonParser._verifyRootSpace); a
    literal (true, false, null) must not run into identifier characters (_matchToken)."""
    if end >= len(s) or isinstance(value, (str, list, dict)):
        return False
    nxt = s[end]
    if value is None or isinstance(value, bool):
        return nxt >= "0" and nxt not in "]}" and _java_identifier_part(nxt)
    token = s[start:end]
    if nxt.isdigit() or (nxt == "." and not any(c in token for c in ".eE")) or (
        nxt in "eE" and not any(c in token for c in "eE")
    ):
        return True
    return root and nxt not in _WS


def parse_json(text: str) -> Any:
    """ObjectReader.readTree: the first value (trailing text ignored, as Jackson does after a structured
    value), MISSING for blank text; invalid JSON raises as ksqlDB's UDFs do."""
    s = text.lstrip(_WS)
    if not s:
        return MISSING
    try:
        value, end = _DECODER.raw_decode(s)
    except ValueError as e:
        raise EvaluationError(f"Invalid JSON format:{text}") from e
    if _bad_scalar_end(s, 0, end, value, root=True):
        raise EvaluationError(f"Invalid JSON format:{text}")
    return value


def json_string(s: str) -> str:
    """A JSON string literal as Jackson writes it (non-ASCII as is, upper-case \\u escapes)."""
    out = _dumps(s)
    return _U_ESC.sub(lambda m: "\\u00" + m.group(1).upper(), out) if "\\u00" in out else out


def node_text(node: Any, plain: bool = False) -> str:
    """JsonNode.toString (`plain`: written by ksqlDB's mapper, decimals never in E notation)."""
    if node is None:
        return "null"
    if node is True:
        return "true"
    if node is False:
        return "false"
    if isinstance(node, Decimal):
        return format(node, "f") if plain else str(node)
    if isinstance(node, int):
        return str(node)
    if isinstance(node, str):
        return json_string(node)
    if isinstance(node, dict):
        return "{" + ",".join(json_string(k) + ":" + node_text(v, plain) for k, v in node.items()) + "}"
    return "[" + ",".join(node_text(v, plain) for v in node) + "]"


def _path_char(c: str, segment: bool) -> bool:
    """JsonPathTokenizer.isUnquotedPathCharacter / isUnquotedSubscriptCharacter (Character.isLetterOrDigit)."""
    return c == "_" or c.isalpha() or c.isdecimal() or (segment and c in ":@")


@lru_cache(maxsize=256)
def json_path_tokens(path: str) -> tuple[str, ...]:
    """JsonPathTokenizer: '$', then `.name` (letters, digits, '_', ':', '@'), `[name]` (letters, digits, '_')
    or `["name"]` (with \\" and \\\\ escapes); anything else is an invalid path, which the UDF throws on."""
    def invalid() -> EvaluationError:
        return EvaluationError(f"Invalid JSON path: '{path}'")

    if not path.startswith("$"):
        raise invalid()
    out: list[str] = []
    i, n = 1, len(path)
    while i < n:
        bracket = path[i] == "["
        if path[i] not in ".[":
            raise invalid()
        i += 1
        if bracket and i < n and path[i] == '"':
            chars, i = [], i + 1
            while i < n and path[i] != '"':
                if path[i] == "\\":
                    if i + 1 >= n or path[i + 1] not in '"\\':
                        raise invalid()
                    i += 1
                chars.append(path[i])
                i += 1
            if i >= n:
                raise invalid()
            token, i = "".join(chars), i + 1
        else:
            j = i
            while j < n and _path_char(path[j], not bracket):
                j += 1
            if j == i:
                raise invalid()
            token, i = path[i:j], j
        if bracket:
            if i >= n or path[i] != "]":
                raise invalid()
            i += 1
        out.append(token)
    return tuple(out)


_INDEX = re.compile(r"[+-]?\d+")


def extract_json_field(text: str, path: str) -> str | None:
    """JsonExtractString.extract: the path is tokenized first (an invalid one throws), then each token
    steps into an object's field or, parsed as an int, an array's element; anything else is null."""
    tokens = json_path_tokens(path)
    node = parse_json(text)
    if node is MISSING:
        return None
    for token in tokens:
        if isinstance(node, list):
            if not _INDEX.fullmatch(token):
                return None  # Integer.parseInt's NumberFormatException
            i = int(token)
            if not 0 <= i < len(node):
                return None
            node = node[i]
        elif isinstance(node, dict):
            if token not in node:
                return None
            node = node[token]
        else:
            return None
    return node if isinstance(node, str) else node_text(node)  # a JSON null is the text "null"


def is_json_string(text: str | None) -> bool:
    if text is None:
        return False
    try:
        return parse_json(text) is not MISSING
    except EvaluationError:
        return False


def json_array_length(text: str) -> int | None:
    node = parse_json(text)
    return len(node) if isinstance(node, list) else None


def json_keys(text: str) -> list[str] | None:
    node = parse_json(text)
    return list(node) if isinstance(node, dict) else None


def json_records(text: str) -> dict[str, str] | None:
    node = parse_json(text)
    if not isinstance(node, dict):
        return None
    out = {k: v if isinstance(v, str) else node_text(v) for k, v in node.items()}
    return hashmap_order(out, table_size_for(len(node)))  # JsonRecords: a HashMap(node.size())


def json_items(text: str) -> list[str]:
    node = parse_json(text)
    if not isinstance(node, list):
        raise EvaluationError(f"Invalid JSON format:{text}")
    return [node_text(v) for v in node]


def json_concat(*texts: str | None) -> str | None:
    nodes = []
    for t in texts:
        if t is None:
            return None
        node = parse_json(t)
        if node is MISSING:
            return None
        nodes.append(node)
    if not nodes:
        raise EvaluationError("JSON_CONCAT needs at least one argument")
    if all(isinstance(n, dict) for n in nodes):
        result: Any = {}
        for n in nodes:
            result.update(n)
    else:
        result = []
        for n in nodes:
            result.extend(n if isinstance(n, list) else [n])
    return node_text(result, plain=True)


def _elements(text: str) -> Iterator[Any]:
    """The top-level elements of a JSON array, parsed one at a time (a malformed tail stops the walk
    where Jackson's streaming parser would); nothing when the text is not an array."""
    s = text.lstrip(_WS)
    if not s.startswith("["):
        return
    i = 1
    while True:
        while i < len(s) and s[i] in _WS:
            i += 1
        if i >= len(s) or s[i] == "]":
            return
        try:
            value, end = _DECODER.raw_decode(s, i)
        except ValueError:
            return
        if _bad_scalar_end(s, i, end, value, root=False):
            return  # Jackson fails on this token before JsonArrayContains could compare it
        i = end
        yield value
        while i < len(s) and s[i] in _WS:
            i += 1
        if i < len(s) and s[i] == ",":
            i += 1
        elif i >= len(s) or s[i] != "]":
            return


def json_array_contains(text: str | None, value: Any) -> bool:
    if text is None:
        raise EvaluationError("JSON_ARRAY_CONTAINS of a null array")
    for e in _elements(text):
        if e is None:
            if value is None:
                return True
        elif isinstance(e, bool):
            if isinstance(value, bool) and value is e:
                return True
        elif isinstance(e, int):
            if isinstance(value, int) and not isinstance(value, bool) and value == e:
                return True
        elif isinstance(e, Decimal):
            if isinstance(value, float) and float(e) == value:
                return True
        elif isinstance(e, str) and isinstance(value, str) and value == e:
            return True
    return False


def _to_json(t: SqlType | None) -> Callable[[Any], str]:
    """ksqlDB's ToJsonString.prepare + its mapper: struct fields and map keys sorted, temporal values
    and bytes as text, decimals plain."""
    if t is None:
        return lambda v: "null"
    b = t.base
    if b == "BOOLEAN":
        return lambda v: "true" if v else "false"
    if b in ("INTEGER", "BIGINT"):
        return str
    if b == "DOUBLE":
        return lambda v: f'"{java_double(v)}"' if v != v or v in (float("inf"), float("-inf")) else java_double(v)
    if b == "DECIMAL":
        return lambda v: format(v, "f")
    if b == "STRING":
        return json_string
    if b == "BYTES":
        return lambda v: '"' + base64.b64encode(v).decode() + '"'
    if b in ("DATE", "TIME", "TIMESTAMP"):
        # a TIME as SqlTimeTypes.formatTime words it (LocalTime of its whole seconds: 13:25, 13:25:07)
        text = {"DATE": date_text, "TIME": sqltime.format_time, "TIMESTAMP": timestamp_text}[b]
        return lambda v: json_string(text(v))
    if b == "ARRAY":
        item = _nullable(_to_json(t.item))
        return lambda v: "[" + ",".join(item(x) for x in v) + "]"
    if b == "MAP":
        val = _nullable(_to_json(t.item))
        return lambda v: "{" + ",".join(
            json_string(str(k)) + ":" + val(x) for k, x in sorted(v.items(), key=lambda kv: to_units(str(kv[0])))
        ) + "}"
    # a TreeMap<String, ...>: String.compareTo orders UTF-16 units
    fields = sorted(((n, _nullable(_to_json(ft))) for n, ft in t.fields or ()), key=lambda f: to_units(f[0]))
    return lambda v: "{" + ",".join(json_string(n) + ":" + w(v.get(n)) for n, w in fields) + "}"


def _nullable(w: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda v: "null" if v is None else w(v)


def _to_json_factory(args: Sequence[Arg]) -> Callable[[Any], str]:
    t = args[0] if args and isinstance(args[0], SqlType) else None
    return _nullable(_to_json(t))


def register(r: FunctionRegistry) -> None:
    udf(r, "EXTRACTJSONFIELD", "JSON",
        "Given a STRING that contains JSON data, extract the value at the specified  JSONPath or NULL if "
        "the specified path does not exist.",
        V(
            ["VARCHAR input", "VARCHAR path"], "VARCHAR", extract_json_field,
            docs=["The input JSON string", "The JSONPath to extract"],
        ),
        author="", java_name="extractjsonfield",
    )
    udf(r, "IS_JSON_STRING", "JSON",
        "Given a string, returns true if it can be parsed as a valid JSON value, false otherwise.",
        V(["VARCHAR input"], "BOOLEAN", is_json_string, docs=["The input JSON string"], nino=False),
    )
    udf(r, "JSON_ARRAY_CONTAINS", "JSON",
        "Parses a JSON array and determines whether or not the supplied value is contained within the "
        "array.",
        V(["VARCHAR jsonArray", "T val"], "BOOLEAN", json_array_contains, nino=False),
    )
    udf(r, "JSON_ARRAY_LENGTH", "JSON",
        "Given a string, parses it as a JSON value and returns the length of the top-level array. Returns "
        "NULL if the string can't be interpreted as a JSON array, for example, when the string is `NULL` "
        "or it does not contain valid JSON, or the JSON value is not an array.",
        V(["VARCHAR jsonArray"], "INT", json_array_length),
    )
    udf(r, "JSON_CONCAT", "JSON",
        "Given N strings, parse them as JSON values and return a string representing their concatenation. "
        "Concatenation rules are identical to PostgreSQL's || operator:\n* If all strings deserialize "
        "into JSON objects, return an object with a union of the input keys. If there are duplicate "
        "objects, take values from the last object.\n* If all strings deserialize into JSON arrays, "
        "return the result of array concatenation.\n* If at least one of the deserialized values is not "
        "an object, convert non-array inputs to a single-element array and return the result of array "
        "concatenation.\n* If at least one of the input strings is `NULL` or can't be deserialized as "
        "JSON, return NULL.\nSimilar to the PostgreSQL's || operator, this function merges only top-level "
        "object keys or arrays.",
        V(["VARCHAR... jsonStrings"], "VARCHAR", json_concat, nino=False),
    )
    udf(r, "JSON_ITEMS", "JSON",
        "Given a string with JSON array, converts it to a ksqlDB array of JSON strings. Returns `NULL` if "
        "the string can not be interpreted as a JSON array, for example, when the string is `NULL` or it "
        "does not contain valid JSON, or the JSON value is not an array.",
        V(["VARCHAR jsonItems"], "ARRAY<VARCHAR>", json_items),
    )
    udf(r, "JSON_KEYS", "JSON",
        "Given a string, parses it as a JSON object and returns a ksqlDB array of strings representing "
        "the top-level keys. Returns NULL if the string can't be interpreted as a JSON object, for "
        "example, when the string is NULL or it does not contain valid JSON, or the JSON value is not an "
        "object.",
        V(["VARCHAR jsonObj"], "ARRAY<VARCHAR>", json_keys),
    )
    udf(r, "JSON_RECORDS", "JSON",
        "Given a string, parses it as a JSON object and returns a map representing the top-level keys and "
        "values. Returns `NULL` if the string can't be interpreted as a JSON object, i.e. it is `NULL` or "
        "it does not contain valid JSON, or the JSON value is not an object.",
        V(["VARCHAR jsonObj"], "MAP<VARCHAR, VARCHAR>", json_records),
    )
    udf(r, "TO_JSON_STRING", "JSON",
        "Given any ksqlDB type returns the equivalent JSON string.",
        V(["T input"], "VARCHAR", built, nino=False, factory=_to_json_factory),
    )
