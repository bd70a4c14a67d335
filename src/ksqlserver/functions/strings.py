"""String functions with ksqlDB's null handling and index rules (1-based positions, Java trim and case).

Lengths count UTF-16 code units as Java does (LEN); other positions count characters, which is the same
for every string without characters outside the Basic Multilingual Plane.
"""

from __future__ import annotations

import re
import uuid as _uuid
from typing import Any

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.registry import FunctionRegistry, V, udf
from ksqlserver.functions.utf16 import from_units, to_units

_JAVA_SPACE = "".join(chr(i) for i in range(33))
_WORD = re.compile(r"[^ \t\n\x0b\f\r]+[ \t\n\x0b\f\r]*")


def java_len(s: str) -> int:
    """String.length(): characters outside the BMP count twice (surrogate pairs)."""
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def java_trim(s: str) -> str:
    return s.strip(_JAVA_SPACE)


def initcap(s: str) -> str:
    """Each run of non-space characters (with the spaces after it) capitalised; leading spaces go.
    InitCap upper-cases `part.substring(0, 1)`, one Java char: a first letter outside the BMP stays."""
    return "".join(_cap(m.group()) for m in _WORD.finditer(s.lower()))


def _cap(part: str) -> str:
    return part if part[0] >= "\U00010000" else part[0].upper() + part[1:]


def _start(length: int, pos: int) -> int:
    return max(length + pos, 0) if pos < 0 else max(min(pos - 1, length), 0)


def substring(s: Any, pos: int, length: int | None = None) -> Any:
    """Substring.substring: positions and lengths count Java chars (UTF-16 units) for a string."""
    text = isinstance(s, str)
    if text:
        s = to_units(s)
    start = _start(len(s), pos)
    out = s[start:] if length is None else s[start : max(min(start + length, len(s)), start)]
    return from_units(out) if text else out


def lpad(s: str, n: int, pad: str) -> str | None:
    """LPad.lpad: the target length and the padding count Java chars (UTF-16 units)."""
    if n < 0 or not pad:
        return None
    s, pad = to_units(s), to_units(pad)
    need = max(n - len(s), 0)
    return from_units(((pad * (need // len(pad) + 1))[:need] + s)[:n])


def rpad(s: str, n: int, pad: str) -> str | None:
    """RPad.rpad: as LPad, padding on the right."""
    if n < 0 or not pad:
        return None
    s, pad = to_units(s), to_units(pad)
    need = max(n - len(s), 0)
    return from_units((s + (pad * (need // len(pad) + 1))[:need])[:n])


def lpad_bytes(s: bytes, n: int, pad: bytes) -> bytes | None:
    if n < 0 or not pad:
        return None
    if len(s) > n:
        return s[:n]
    need = n - len(s)
    return bytes(pad[i % len(pad)] for i in range(need)) + s


def rpad_bytes(s: bytes, n: int, pad: bytes) -> bytes | None:
    if n < 0 or not pad:
        return None
    if len(s) > n:
        return s[:n]
    return s + bytes(pad[i % len(pad)] for i in range(n - len(s)))


def split(s: str, delim: str) -> list[str]:
    if not delim:  # Pattern.compile("").split: one string per character
        return list(s) if s else [s]
    return s.split(delim)


def _byte_index(b: bytes, d: bytes, start: int) -> int:
    """ksqlDB's BytesUtils.indexOf, including its check that compares b[i] with d[i] for i in
    [start, len(d)): past the delimiter's length only the first byte is compared."""
    for i in range(start, len(b)):
        if b[i] == d[0]:
            if i + len(d) > len(b):
                continue
            if all(b[k] == d[k] for k in range(i, len(d))):
                return i
    return -1


def split_bytes(b: bytes, d: bytes) -> list[bytes]:
    if not b:
        return [b]
    if not d:
        return [b[i : i + 1] for i in range(len(b))]
    out, offset = [], 0
    while (i := _byte_index(b, d, offset)) != -1:
        out.append(b[offset:i])
        offset = i + len(d)
    out.append(b[offset:])
    return out


def _substring_from(s: str, start: int) -> str:
    """commons-lang StringUtils.substring(str, start)."""
    if start < 0:
        start = max(len(s) + start, 0)
    return "" if start > len(s) else s[start:]


def _ordinal_index(s: str, sub: str, ordinal: int) -> int:
    """commons-lang StringUtils.ordinalIndexOf (overlapping matches)."""
    if ordinal <= 0:
        return -1
    if not sub:
        return 0
    index = -1
    for _ in range(ordinal):
        index = s.find(sub, index + 1)
        if index < 0:
            return -1
    return index


def instr(s: str | None, sub: str | None, position: int | None = 1, occurrence: int | None = 1) -> int:
    if s is None or sub is None:
        return 0
    if position is None or occurrence is None:  # primitive int parameters in ksqlDB
        raise EvaluationError("Cannot pass NULL to an INT parameter of INSTR")
    s, sub = to_units(s), to_units(sub)  # Instr: positions in Java chars
    if abs(position) > len(s):
        return 0
    if position < 0:
        rs, rsub = s[::-1], sub[::-1]
        i = _ordinal_index(_substring_from(rs, -position - 1), rsub, occurrence)
        return 0 if i == -1 else len(rs) + position - i - len(rsub) + 2
    i = _ordinal_index(_substring_from(s, position - 1), sub, occurrence)
    return 0 if i == -1 else i + position


def concat(*parts: Any) -> str:
    return "".join(p for p in parts if p is not None)


def _put_buffers(buffers: list[tuple[int, bytes]]) -> bytes:
    """Concat's ByteBuffer.allocate(sum of capacities) then put(each): a put consumes its buffer, so the
    same buffer put twice (one column passed twice: `groups` names the argument each value came from)
    writes nothing the second time, and the unwritten rest of the allocation stays zero bytes."""
    consumed: set[int] = set()
    out = bytearray()
    for group, b in buffers:
        if group not in consumed:
            out += b
            consumed.add(group)
    return bytes(out) + bytes(sum(len(b) for _, b in buffers) - len(out))


def _concat_bytes_grouped(groups: tuple[int, ...], *parts: Any) -> bytes:
    return _put_buffers([(g, p) for g, p in zip(groups, parts, strict=False) if p is not None])


def concat_bytes(*parts: Any) -> bytes:
    """Concat over distinct buffers (the compiler calls `ksql_with_groups` when it knows which arguments
    are one buffer)."""
    return _concat_bytes_grouped(tuple(range(len(parts))), *parts)


concat_bytes.ksql_with_groups = _concat_bytes_grouped  # type: ignore[attr-defined]


def _concat_ws_bytes_grouped(groups: tuple[int, ...], *inputs: Any) -> Any:
    """ConcatWS over ByteBuffers: the separator between values is `separator.duplicate()` (a buffer of its
    own, taken before any put), the values are the arguments' own buffers (see `_put_buffers`)."""
    if len(inputs) < 2:
        raise EvaluationError("Function Concat_WS expects at least two input arguments.")
    sep = inputs[0]
    if sep is None:
        return None
    buffers: list[tuple[int, bytes]] = []
    for g, p in zip(groups[1:], inputs[1:], strict=False):
        if p is not None:
            if buffers:
                buffers.append((-1 - len(buffers), sep))  # each duplicate is its own buffer
            buffers.append((g, p))
    return _put_buffers(buffers)


def concat_ws_bytes(*inputs: Any) -> Any:
    return _concat_ws_bytes_grouped(tuple(range(len(inputs))), *inputs)


concat_ws_bytes.ksql_with_groups = _concat_ws_bytes_grouped  # type: ignore[attr-defined]


def concat_ws(*inputs: Any) -> Any:
    if len(inputs) < 2:
        raise EvaluationError("Function Concat_WS expects at least two input arguments.")
    sep = inputs[0]
    if sep is None:
        return None
    return sep.join(p for p in inputs[1:] if p is not None)


def chr_code(code: int) -> str | None:
    return chr(code) if 0 <= code <= 0x10FFFF else None


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "'": "'", "\\": "\\"}


def unescape_java(s: str) -> str:
    """commons-text StringEscapeUtils.unescapeJava: \\uXXXX (one or more u), octal and the usual escapes."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c != "\\" or i + 1 == len(s):
            out.append(c)
            i += 1
            continue
        nxt = s[i + 1]
        if nxt == "u":
            j = i + 1
            while j < len(s) and s[j] == "u":
                j += 1
            if j < len(s) and s[j] == "+":
                j += 1
            digits = s[j : j + 4]
            if len(digits) == 4 and all(d in "0123456789abcdefABCDEF" for d in digits):
                out.append(chr(int(digits, 16)))
                i = j + 4
                continue
            raise EvaluationError(f"Unable to parse unicode value: {digits}")
        if nxt in "01234567":
            j = i + 1
            limit = 4 if nxt in "0123" else 3
            while j < len(s) and j < i + limit and s[j] in "01234567":
                j += 1
            out.append(chr(int(s[i + 1 : j], 8)))
            i = j
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        i += 2
    # Java strings are UTF-16: two escaped halves of a surrogate pair are one character
    return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def chr_utf16(code: str) -> str | None:
    if len(code) < 6 or not code.startswith("\\u"):
        return None
    return unescape_java(code)


def elt(n: int | None, *args: Any) -> Any:
    if n is None:
        raise EvaluationError("Cannot pass NULL to an INT parameter of ELT")
    return args[n - 1] if 1 <= n <= len(args) else None


def field(s: str | None, *args: Any) -> int:
    if s is None:
        return 0
    for i, a in enumerate(args):
        if a == s:
            return i + 1
    return 0


def random_uuid() -> str:
    return str(_uuid.uuid4())


def uuid_bytes(b: bytes) -> str | None:
    return str(_uuid.UUID(bytes=b)) if len(b) == 16 else None


def register(r: FunctionRegistry) -> None:
    udf(r, "CONCAT", "STRING",
        "Concatenate an arbitrary number of string or bytes fields together",
        V(["VARCHAR... inputs"], "VARCHAR", concat, docs=["The varchar fields to concatenate"], nino=False),
        V(["BYTES... inputs"], "BYTES", concat_bytes, docs=["The bytes fields to concatenate"], nino=False),
        author="", java_name="concat",
    )
    udf(r, "CONCAT_WS", "STRING",
        "Concatenate several strings or bytes, inserting a separator passed as the first argument between "
        "each one.",
        V(["VARCHAR... inputs"], "VARCHAR", concat_ws, docs=["Separator string and values to join"], nino=False),
        V(["BYTES... inputs"], "BYTES", concat_ws_bytes, docs=["Separator and bytes values to join"], nino=False),
        author="", java_name="concat_ws",
    )
    udf(r, "LEN", "STRING",
        "Returns the length of the input string or byte array.",
        V(["VARCHAR input"], "INT", java_len, docs=["The input string"]),
        V(["BYTES input"], "INT", len, docs=["The input byte array"]),
        author="", java_name="len",
    )
    udf(r, "UCASE", "STRING",
        "Returns an upper-case version of the input string.",
        V(["VARCHAR input"], "VARCHAR", str.upper, docs=["The string to upper-case"]),
        author="", java_name="ucase",
    )
    udf(r, "LCASE", "STRING",
        "Returns a lower-case version of the input string.",
        V(["VARCHAR input"], "VARCHAR", str.lower, docs=["The string to lower-case"]),
        author="", java_name="lcase",
    )
    udf(r, "INITCAP", "STRING",
        "Capitalizes the first letter of each word in a string and the rest lowercased. Words are "
        "delimited by whitespace.",
        V(
            ["VARCHAR str"], "VARCHAR", initcap,
            "Returns the string with the the first letter of each word capitalized and the rest lowercased",
            docs=["The source string. If null, then function returns null."],
        ),
        java_name="initcap",
    )
    udf(r, "TRIM", "STRING",
        "Remove whitespace from the beginning and end of a string.",
        V(["VARCHAR input"], "VARCHAR", java_trim, docs=["The string to trim"]),
        author="", java_name="trim",
    )
    udf(r, "LPAD", "STRING",
        "Pads the input string or bytes, starting from the beginning, with the specified padding string "
        "until the target length is reached. If the input string or bytes are longer than the specified "
        "target length it will be truncated. If the padding string or bytes are empty or NULL, or the "
        "target length is negative, then NULL is returned.",
        V(
            ["VARCHAR input", "INT targetLen", "VARCHAR padding"], "VARCHAR", lpad,
            docs=["String to be padded", "Target length", "Padding string"],
        ),
        V(
            ["BYTES input", "INT targetLen", "BYTES padding"], "BYTES", lpad_bytes,
            docs=["Bytes to be padded", "Target length", "Padding bytes"],
        ),
        author="", java_name="LPad",
    )
    udf(r, "RPAD", "STRING",
        "Pads the input string or bytes, starting from the end, with the specified padding string until "
        "the target length is reached. If the input string or bytes are longer than the specified target "
        "length it will be truncated. If the padding string or bytes are empty or NULL, or the target "
        "length is negative, then NULL is returned.",
        V(
            ["VARCHAR input", "INT targetLen", "VARCHAR padding"], "VARCHAR", rpad,
            docs=["String to be padded", "Target length", "Padding string"],
        ),
        V(
            ["BYTES input", "INT targetLen", "BYTES padding"], "BYTES", rpad_bytes,
            docs=["Bytes to be padded", "Target length", "Padding bytes"],
        ),
        author="", java_name="RPad",
    )
    udf(r, "REPLACE", "STRING",
        "Replaces all occurances of a substring in a string with a new substring.",
        V(
            ["VARCHAR str", "VARCHAR oldStr", "VARCHAR newStr"], "VARCHAR", str.replace,
            "Returns a new string with all occurences of oldStr in str with newStr",
            docs=[
                "The source string. If null, then function returns null.",
                "The substring to replace. If null, then function returns null.",
                "The string to replace the old substrings with. If null, then function returns null.",
            ],
        ),
        java_name="replace",
    )
    udf(r, "SPLIT", "STRING",
        "Splits a string or bytes into an array of substrings or bytes based on a delimiter. If the "
        "delimiter is found at the beginning of the string/bytes, end of the string/bytes, or there are "
        "contiguous delimiters in the string/bytes, then empty strings/bytes are added to the array. If "
        "the delimiter is not found, then the original string or bytes is returned as the only element in "
        "the array. If the delimiter is empty, then all characters or bytes in the string or bytes are "
        "split.",
        V(
            ["VARCHAR string", "VARCHAR delimiter"], "ARRAY<VARCHAR>", split,
            "Splits a string into an array of substrings based on a delimiter.",
            docs=[
                "The string to be split. If NULL, then function returns NULL.",
                "The delimiter to split a string by. If NULL, then function returns NULL.",
            ],
        ),
        V(
            ["BYTES bytes", "BYTES delimiter"], "ARRAY<BYTES>", split_bytes,
            "Splits a byte array into an array of bytes values based on a delimiter.",
            docs=[
                "The byte array to be split. If NULL, then function returns NULL.",
                "The delimiter to split the byte array by. If NULL, then function returns NULL.",
            ],
        ),
        java_name="split",
    )
    udf(r, "INSTR", "STRING",
        "Returns the position of substring in the provided string",
        V(["VARCHAR str", "VARCHAR substring"], "INT", instr, nino=False),
        V(["VARCHAR str", "VARCHAR substring", "INT position"], "INT", instr, nino=False),
        V(["VARCHAR str", "VARCHAR substring", "INT position", "INT occurrence"], "INT", instr, nino=False),
        java_name="instr",
    )
    udf(r, "SUBSTRING", "STRING",
        "Returns the portion of the string or bytes passed in value.",
        V(
            ["VARCHAR str", "INT pos"], "VARCHAR", substring,
            "Returns the portion of str from pos to the end of str",
            docs=["The source string.", "The base-one position to start from."],
        ),
        V(
            ["VARCHAR str", "INT pos", "INT length"], "VARCHAR", substring,
            "Returns the portion of str that starts at pos and is of length len",
            docs=["The source string.", "The base-one position to start from.", "The length to extract."],
        ),
        V(
            ["BYTES bytes", "INT pos"], "BYTES", substring,
            "Returns the portion of the bytes value from pos to the end of the bytes value",
            docs=["The source bytes.", "The base-one position to start from."],
        ),
        V(
            ["BYTES bytes", "INT pos", "INT length"], "BYTES", substring,
            "Returns the portion of the bytes value that starts at pos and is of length len",
            docs=["The source bytes.", "The base-one position to start from.", "The length to extract."],
        ),
        java_name="substring",
    )
    udf(r, "CHR", "STRING",
        "Returns a single-character string corresponding to the input character code.",
        V(["INT decimalCode"], "VARCHAR", chr_code, docs=["Decimal codepoint"]),
        V(
            ["VARCHAR utf16Code"], "VARCHAR", chr_utf16,
            docs=["UTF16 code for the desired character e.g. '\\u004b'"],
        ),
        author="", java_name="Chr",
    )
    udf(r, "ELT", "STRING",
        "ELT() returns the Nth element of the list of strings. Returns NULL if N is less than 1 or "
        "greater than the number of arguments. Note that this method is 1-indexed. This is the complement "
        "to FIELD.",
        V(
            ["INT n", "VARCHAR... args"], "VARCHAR", elt,
            docs=["the nth element to extract", "the strings of which to extract the nth"],
            nino=False,
        ),
        java_name="elt",
    )
    udf(r, "FIELD", "STRING",
        "Returns the position (1-indexed) of str in args, or 0 if not found. If str is NULL, the return "
        "value is 0 because NULL is not considered equal to any value. This is the compliment to ELT.",
        V(["VARCHAR str", "VARCHAR... args"], "INT", field, nino=False),
        java_name="field",
    )
    udf(r, "UUID", "STRING",
        "Create a Universally Unique Identifier (UUID) generated according to RFC 4122. A call to "
        "UUID() returns a value conforming to UUID version 4, sometimes called \"random UUID\", as "
        "described in RFC 4122. A call to UUID(bytes) returns a value conforming to UUID. The value is a "
        "128-bit number represented as a string of five hexadecimal numbers "
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.",
        V([], "VARCHAR", random_uuid),
        V(["BYTES bytes"], "VARCHAR", uuid_bytes),
        author="",
    )
