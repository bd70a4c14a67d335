"""BYTES functions: numbers from bytes (with a byte order), and string <-> bytes encodings as ksqlDB's
BytesUtils does them (upper-case hex, strict base64, malformed text replaced)."""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Callable

from ksqlserver.catalog.casts import java_base64
from ksqlserver.errors import EvaluationError
from ksqlserver.functions.registry import FunctionRegistry, V, udf

_HEX = re.compile(r"[0-9a-fA-F]*")


def byte_order(name: str | None) -> str:
    if name is not None and name.upper() == "BIG_ENDIAN":
        return ">"
    if name is not None and name.upper() == "LITTLE_ENDIAN":
        return "<"
    shown = "null" if name is None else name  # String.format("%s", null)
    raise EvaluationError(f"Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order '{shown}'.")


def _from_bytes(fmt: str, size: int) -> Callable[..., object]:
    def convert(value: bytes | None, order: str | None = "BIG_ENDIAN") -> object:
        prefix = byte_order(order)
        if value is None:
            return None
        if len(value) != size:
            raise EvaluationError(f"Number of bytes must be equal to {size}, but found {len(value)}")
        return struct.unpack(prefix + fmt, value)[0]

    return convert


def _encoding(name: str) -> str:
    enc = name.lower()
    if enc not in ("hex", "utf8", "ascii", "base64"):
        raise EvaluationError(
            f"Unknown encoding type '{name}'. Supported formats are 'hex', 'utf8', 'ascii', and 'base64'."
        )
    return enc


def hex_decode(s: str) -> bytes:
    """DatatypeConverter.parseHexBinary."""
    if len(s) % 2:
        raise EvaluationError(f"hexBinary needs to be even-length: {s}")
    if not _HEX.fullmatch(s):
        raise EvaluationError(f"contains illegal character for hexBinary: {s}")
    return bytes.fromhex(s)


def base64_decode(s: str) -> bytes:
    """java.util.Base64.getDecoder(): the standard alphabet, padding optional."""
    try:
        return java_base64(s)
    except ValueError as e:
        raise EvaluationError(f"Illegal base64 input: {s}") from e


def to_bytes(s: str, encoding: str) -> bytes:
    enc = _encoding(encoding)
    if enc == "hex":
        return hex_decode(s)
    if enc == "base64":
        return base64_decode(s)
    return s.encode("utf-8" if enc == "utf8" else "ascii", errors="surrogatepass" if enc == "utf8" else "replace")


def from_bytes(b: bytes, encoding: str) -> str:
    enc = _encoding(encoding)
    if enc == "hex":
        return b.hex().upper()
    if enc == "base64":
        return base64.b64encode(b).decode()
    return b.decode("utf-8" if enc == "utf8" else "ascii", errors="replace")


def _hex_strip(s: str) -> str:
    if s.startswith("0x"):
        return "0" + s[2:] if len(s) % 2 else s[2:]
    if re.fullmatch(r"[xX]'.*'", s, re.S):
        return s[2:-1]
    return s


def _codec_hex(s: str) -> bytes:
    """commons-codec Hex.decodeHex."""
    if len(s) % 2:
        raise EvaluationError("Odd number of characters.")
    for i, c in enumerate(s):
        if c not in "0123456789abcdefABCDEF":
            raise EvaluationError(f"Illegal hexadecimal character {c} at index {i}")
    return bytes.fromhex(s)


def _codec_base64(s: str) -> bytes:
    """commons-codec Base64.decodeBase64: characters outside the alphabet are skipped."""
    clean = re.sub(r"[^A-Za-z0-9+/_-]", "", s.split("=")[0]).replace("-", "+").replace("_", "/")
    if len(clean) % 4 == 1:
        clean = clean[:-1]
    return base64.b64decode(clean + "=" * (-len(clean) % 4))


_DECODE: dict[str, Callable[[str], bytes]] = {
    "hex": lambda s: _codec_hex(_hex_strip(s)),
    "utf8": lambda s: s.encode("utf-8", errors="surrogatepass"),
    "ascii": lambda s: s.encode("ascii", errors="replace"),
    "base64": _codec_base64,
}
_ENCODE: dict[str, Callable[[bytes], str]] = {
    "hex": lambda b: b.hex(),
    "utf8": lambda b: b.decode("utf-8", errors="replace"),
    "ascii": lambda b: b.decode("ascii", errors="replace"),
    "base64": lambda b: base64.b64encode(b).decode(),
}


def encode(s: str, input_encoding: str, output_encoding: str) -> str:
    src, dst = input_encoding.lower(), output_encoding.lower()
    if src not in _DECODE or dst not in _ENCODE or src == dst:
        raise EvaluationError("Supported input and output encodings are: hex, utf8, ascii and base64")
    return _ENCODE[dst](_DECODE[src](s))


def register(r: FunctionRegistry) -> None:
    int_from, long_from, double_from = _from_bytes("i", 4), _from_bytes("q", 8), _from_bytes("d", 8)
    udf(r, "INT_FROM_BYTES", "CONVERSIONS",
        "Converts a BYTES value to an INT value according to the specified byte order. BYTES must be 4 "
        "bytes long or a NULL value will be returned.",
        V(
            ["BYTES value"], "INT", int_from,
            "Converts a BYTES value to an INT value using the 'BIG_ENDIAN' byte order. BYTES must be 4 "
            "bytes long or a NULL value will be returned.",
            docs=["The BYTES value to convert."],
        ),
        V(
            ["BYTES value", "VARCHAR byteOrder"], "INT", int_from,
            "Converts a BYTES value to an INT value according to the specified byte order. BYTES must be "
            "4 bytes long or a NULL value will be returned.",
            docs=[
                "The BYTES value to convert.",
                "The byte order. Valid orders are 'BIG_ENDIAN' and 'LITTLE_ENDIAN'. If omitted, 'BIG_ENDIAN' is used.",
            ],
            nino=False,
        ),
        java_name="int_from_bytes",
    )
    udf(r, "BIGINT_FROM_BYTES", "CONVERSIONS",
        "Converts a BYTES value to an BIGINT value according to the specified byte order. BYTES must be 8 "
        "bytes long or a NULL value will be returned.",
        V(
            ["BYTES value"], "BIGINT", long_from,
            "Converts a BYTES value to an BIGINT value using the 'BIG_ENDIAN' byte order. BYTES must be 8 "
            "bytes long or a NULL value will be returned.",
            docs=["The BYTES value to convert."],
        ),
        V(
            ["BYTES value", "VARCHAR byteOrder"], "BIGINT", long_from,
            "Converts a BYTES value to an BIGINT value according to the specified byte order. BYTES must "
            "be 8 bytes long or a NULL value will be returned.",
            docs=[
                "The BYTES value to convert.",
                "The byte order. Valid orders are 'BIG_ENDIAN' and 'LITTLE_ENDIAN'. If omitted, 'BIG_ENDIAN' is used.",
            ],
            nino=False,
        ),
        java_name="bigint_from_bytes",
    )
    udf(r, "DOUBLE_FROM_BYTES", "CONVERSIONS",
        "Converts a BYTES value to an DOUBLE value according to the specified byte order. BYTES must be 8 "
        "bytes long or a NULL value will be returned.",
        V(
            ["BYTES value"], "DOUBLE", double_from,
            "Converts a BYTES value to an DOUBLE value using the 'BIG_ENDIAN' byte order. BYTES must be 8 "
            "bytes long or a NULL value will be returned.",
            docs=["The BYTES value to convert."],
        ),
        V(
            ["BYTES value", "VARCHAR byteOrder"], "DOUBLE", double_from,
            "Converts a BYTES value to an DOUBLE value according to the specified byte order. BYTES must "
            "be 8 bytes long or a NULL value will be returned.",
            docs=[
                "The BYTES value to convert.",
                "The byte order. Valid orders are 'BIG_ENDIAN' and 'LITTLE_ENDIAN'. If omitted, 'BIG_ENDIAN' is used.",
            ],
            nino=False,
        ),
        java_name="double_from_bytes",
    )
    udf(r, "TO_BYTES", "STRING",
        "Converts a STRING value in the specified encoding to BYTES. The accepted encoders are 'hex', "
        "'utf8', 'ascii', and 'base64'.",
        V(
            ["VARCHAR value", "VARCHAR encoding"], "BYTES", to_bytes,
            "Converts a STRING value in the specified encoding to BYTES. The accepted encoders are 'hex', "
            "'utf8', 'ascii', and 'base64'.",
            docs=["The string to convert.", "The type of encoding."],
        ),
        java_name="to_bytes",
    )
    udf(r, "FROM_BYTES", "STRING",
        "Converts a BYTES value to STRING in the specified encoding. The accepted encoders are 'hex', "
        "'utf8', 'ascii', and 'base64'.",
        V(
            ["BYTES value", "VARCHAR encoding"], "VARCHAR", from_bytes,
            "Converts a BYTES value to STRING in the specified encoding. The accepted encoders are 'hex', "
            "'utf8', 'ascii', and 'base64'.",
            docs=["The bytes value to convert.", "The encoding to use on conversion."],
        ),
        java_name="from_bytes",
    )
    udf(r, "ENCODE", "STRING",
        "Takes an input string s, which is encoded as input_encoding, and encodes it as output_encoding. "
        "The accepted input and output encodings are: hex, utf8, ascii and base64. Throws exception if "
        "provided encodings are not supported.",
        V(
            ["VARCHAR str", "VARCHAR inputEncoding", "VARCHAR outputEncoding"], "VARCHAR", encode,
            "Returns a new string encoded using the outputEncoding ",
            docs=[
                "The source string. If null, then function returns null.",
                "The input encoding. If null, then function returns null.",
                "The output encoding. If null, then function returns null.",
            ],
        ),
        java_name="encode",
    )
