"""The message of the JsonParseException ksqlDB 0.29's KsqlJsonDeserializer gets from ObjectMapper.readTree
for bytes that are not JSON, as Jackson 2.13's UTF8StreamJsonParser words it. The deserializer clears the
exception's location (JsonProcessingException.clearLocation), so no " at [Source: ...]" suffix; messages
that name where an object or array started keep that location in their own text
("start marker at [Source: (byte[])"<the bytes>"; line: 1, column: 1]").

`jackson_error` walks the bytes as readTree does: one root value (text after an object, array or string is
never read; a root number must be followed by white space), strings decoded when read (ctrl characters,
escapes, UTF-8), names decoded eagerly. It follows ParserMinimalBase / ParserBase / UTF8StreamJsonParser's
error paths (_reportUnexpectedChar, _reportInvalidToken, _reportInvalidEOF, _handleEOF,
_reportMismatchedEndMarker, _verifyRootSpace, ...) with ObjectMapper's default features."""

from __future__ import annotations

import unicodedata

VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
MAX_ERROR_TOKEN_LENGTH = 256  # ParserMinimalBase.MAX_ERROR_TOKEN_LENGTH
MAX_CONTENT_SNIPPET = 500  # ContentReference.DEFAULT_MAX_CONTENT_SNIPPET
_EOF = -1


class _Failed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def char_desc(ch: int) -> str:
    """ParserMinimalBase._getCharDesc."""
    c = chr(ch & 0xFFFF) if ch <= 0xFFFF else chr(ch)
    if ch & 0xFFFF < 0x20 or 0x7F <= ch & 0xFFFF <= 0x9F:
        return f"(CTRL-CHAR, code {ch})"
    if ch > 255:
        return f"'{c}' (code {ch} / 0x{ch:x})"
    return f"'{c}' (code {ch})"


def _id_start(c: str) -> bool:
    """Character.isJavaIdentifierStart."""
    cat = unicodedata.category(c)
    return cat[0] == "L" or cat in ("Nl", "Sc", "Pc")


def _id_part(c: str) -> bool:
    """Character.isJavaIdentifierPart (identifier-ignorable controls included)."""
    o = ord(c)
    if o <= 8 or 0x0E <= o <= 0x1B or 0x7F <= o <= 0x9F:
        return True
    return _id_start(c) or unicodedata.category(c) in ("Nd", "Mn", "Mc", "Cf")


class _Context:
    __slots__ = ("column", "index", "kind", "line")

    def __init__(self, kind: str, line: int, column: int) -> None:
        self.kind = kind  # JsonStreamContext.typeDesc: root, Array, Object
        self.index = -1
        self.line = line
        self.column = column

    def expect_comma(self) -> bool:
        """JsonReadContext.expectComma: moves on to the next entry."""
        self.index += 1
        return self.kind != "root" and self.index > 0


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.b = data
        self.end = len(data)
        # ByteSourceJsonBootstrapper skips a UTF-8 BOM when it has 4 bytes to look at
        self.p = 3 if data[:3] == b"\xef\xbb\xbf" and len(data) >= 4 else 0
        self.row = 1
        self.row_start = 0
        self.ctx = [_Context("root", 1, 0)]
        self.token: str | None = None  # _currToken
        self.tok_row = 1
        self.tok_col = 0

    # --- errors -------------------------------------------------------------------------------------------
    def fail(self, message: str) -> _Failed:
        return _Failed(message)

    def unexpected(self, ch: int, comment: str | None = None) -> _Failed:
        if ch < 0:
            return self.invalid_eof()
        msg = f"Unexpected character ({char_desc(ch)})"
        return _Failed(msg + (f": {comment}" if comment is not None else ""))

    def invalid_eof(self, msg: str | None = None) -> _Failed:
        # _reportInvalidEOF(): " in " + _currToken, which Java prints as "null" before the first token
        return _Failed("Unexpected end-of-input" + (msg if msg is not None else f" in {self.token or 'null'}"))

    def location(self, c: _Context) -> str:
        """JsonLocation.toString of a context's start (ContentReference's snippet of the whole input)."""
        return self.source(c.line, c.column)

    def current_location(self) -> str:
        """getCurrentLocation's JsonLocation.toString: the next byte to read, its column 1-based."""
        return self.source(self.row, self.p - self.row_start + 1)

    def source(self, line: int, column: int) -> str:
        raw = self.b[:MAX_CONTENT_SNIPPET].decode("utf-8", "replace")
        text = "".join(
            f"\\u{ord(ch):04X}" if (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) and ch not in "\r\n" else ch
            for ch in raw
        )
        more = f"[truncated {len(self.b) - MAX_CONTENT_SNIPPET} bytes]" if len(self.b) > MAX_CONTENT_SNIPPET else ""
        return f'[Source: (byte[])"{text}"{more}; line: {line}, column: {column}]'

    # --- bytes --------------------------------------------------------------------------------------------
    def next_byte(self) -> int:
        if self.p >= self.end:
            raise self.invalid_eof()
        ch = self.b[self.p]
        self.p += 1
        return ch

    def char_for_error(self, first: int) -> int:
        """_decodeCharForError: a UTF-8 sequence's code point."""
        c = first
        if c <= 0x7F:
            return c
        if c & 0xE0 == 0xC0:
            c, needed = c & 0x1F, 1
        elif c & 0xF0 == 0xE0:
            c, needed = c & 0x0F, 2
        elif c & 0xF8 == 0xF0:
            c, needed = c & 0x07, 3
        else:
            raise self.fail(f"Invalid UTF-8 start byte 0x{c:x}")
        for _ in range(needed):
            d = self.next_byte()
            if d & 0xC0 != 0x80:
                raise self.fail(f"Invalid UTF-8 middle byte 0x{d:x}")
            c = (c << 6) | (d & 0x3F)
        return c

    def invalid_token(self, matched: str) -> _Failed:
        """_reportInvalidToken: the token read on while Java identifier characters follow."""
        sb = matched
        while self.p < self.end:
            ch = self.b[self.p]
            self.p += 1
            c = self.char_for_error(ch)
            if not _id_part(chr(c & 0xFFFF) if c <= 0xFFFF else chr(c)):
                break
            sb += chr(c)
            if len(sb) >= MAX_ERROR_TOKEN_LENGTH:
                sb += "..."
                break
        return _Failed(f"Unrecognized token '{sb}': was expecting {VALID_VALUES}")

    # --- white space --------------------------------------------------------------------------------------
    def _space(self, i: int) -> None:
        if i == 0x0A:
            self.row += 1
            self.row_start = self.p
        elif i == 0x0D:
            if self.p < self.end and self.b[self.p] == 0x0A:
                self.p += 1
            self.row += 1
            self.row_start = self.p
        elif i != 0x09:
            raise self.fail(
                f"Illegal character ({char_desc(i)}): only regular white space (\\r, \\n, \\t) is allowed between tokens"
            )

    def _comment(self, i: int) -> None:
        if i == 0x2F:  # ALLOW_COMMENTS is off
            raise self.unexpected(
                i,
                "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled "
                "for parser)",
            )

    def skip_ws(self, or_end: bool) -> int:
        """_skipWSOrEnd (end of input: _eofAsNextChar) / _skipWS (end of input: an error)."""
        while self.p < self.end:
            i = self.b[self.p]
            self.p += 1
            if i > 0x20:
                self._comment(i)
                return i
            if i != 0x20:
                self._space(i)
        if not or_end:
            raise self.fail(f"Unexpected end-of-input within/between {self.ctx[-1].kind} entries")
        top = self.ctx[-1]
        if top.kind != "root":  # ParserBase._handleEOF
            raise self.invalid_eof(f": expected close marker for {top.kind} (start marker at {self.location(top)})")
        return _EOF

    def skip_colon(self) -> int:
        """_skipColon2: white space, the colon, white space; the value's first character."""
        got = False
        while self.p < self.end:
            i = self.b[self.p]
            self.p += 1
            if i > 0x20:
                self._comment(i)
                if got:
                    return i
                if i != 0x3A:
                    raise self.unexpected(i, "was expecting a colon to separate field name and value")
                got = True
            elif i != 0x20:
                self._space(i)
        raise self.invalid_eof(f" within/between {self.ctx[-1].kind} entries")

    def update_location(self) -> None:
        self.tok_row = self.row
        self.tok_col = self.p - self.row_start

    # --- tokens -------------------------------------------------------------------------------------------
    def next_token(self) -> str | None:
        """UTF8StreamJsonParser.nextToken (a field's value is read with its name, as there)."""
        if self.token == "FIELD_NAME":
            self.token = self.pending
            if self.token == "START_ARRAY":
                self.ctx.append(_Context("Array", self.tok_row, self.tok_col))
            elif self.token == "START_OBJECT":
                self.ctx.append(_Context("Object", self.tok_row, self.tok_col))
            return self.token
        i = self.skip_ws(or_end=True)
        if i < 0:
            self.token = None
            return None
        if i == 0x5D:
            self.close("Array", "]", "}")
            self.token = "END_ARRAY"
            return self.token
        if i == 0x7D:
            self.close("Object", "}", "]")
            self.token = "END_OBJECT"
            return self.token
        top = self.ctx[-1]
        if top.expect_comma():
            if i != 0x2C:
                raise self.unexpected(i, f"was expecting comma to separate {top.kind} entries")
            i = self.skip_ws(or_end=False)
        if top.kind != "Object":
            self.update_location()
            self.token = self.value(i)
            if self.token == "START_ARRAY":
                self.ctx.append(_Context("Array", self.tok_row, self.tok_col))
            elif self.token == "START_OBJECT":
                self.ctx.append(_Context("Object", self.tok_row, self.tok_col))
            return self.token
        self.name(i)
        self.token = "FIELD_NAME"
        i = self.skip_colon()
        self.update_location()
        self.pending = self.value(i)
        return self.token

    def close(self, kind: str, actual: str, expected: str) -> None:
        """_closeArrayScope / _closeObjectScope (ParserBase._reportMismatchedEndMarker)."""
        self.update_location()
        top = self.ctx[-1]
        if top.kind != kind:
            raise self.fail(
                f"Unexpected close marker '{actual}': expected '{expected}' (for {top.kind} starting at "
                f"{self.location(top)})"
            )
        self.ctx.pop()

    def value(self, i: int) -> str:
        """_nextTokenNotInObject / the value after a field name: its token (a string is read later)."""
        if i == 0x22:
            return "VALUE_STRING"
        if i == 0x5B:
            return "START_ARRAY"
        if i == 0x7B:
            return "START_OBJECT"
        if i == 0x74:
            self.match("true")
            return "VALUE_TRUE"
        if i == 0x66:
            self.match("false")
            return "VALUE_FALSE"
        if i == 0x6E:
            self.match("null")
            return "VALUE_NULL"
        if i == 0x2D:
            return self.number(negative=True)
        if 0x30 <= i <= 0x39:
            self.p -= 1
            return self.number(negative=False)
        return self.unexpected_value(i)

    def unexpected_value(self, c: int) -> str:
        """_handleUnexpectedValue with the default features."""
        top = self.ctx[-1]
        if (c == 0x5D and top.kind == "Array") or c in (0x2C, 0x7D):
            raise self.unexpected(c, "expected a value")
        if c == 0x4E:
            self.match("NaN")
            raise self.fail("Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow")
        if c == 0x49:
            self.match("Infinity")
            raise self.fail(
                "Non-standard token 'Infinity': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"
            )
        if c == 0x2B:
            if self.p >= self.end:
                raise self.invalid_eof(" in a Number value")
            self.p += 1
            self.invalid_number_start(self.b[self.p - 1], negative=False)
        if _id_start(chr(c)):
            raise self.invalid_token(chr(c))
        raise self.unexpected(c, f"expected a valid value {VALID_VALUES}")

    def match(self, word: str, start: int = 1) -> None:
        """_matchToken2: the rest of a keyword, then no identifier character after it."""
        for i in range(start, len(word)):
            if self.p >= self.end or self.b[self.p] != ord(word[i]):
                raise self.invalid_token(word[:i])
            self.p += 1
        if self.p >= self.end:
            return
        ch = self.b[self.p]
        if ch >= 0x30 and ch not in (0x5D, 0x7D):
            # _checkMatchEnd decodes the character it has not consumed: a multi-byte one reads its own lead
            # byte as the next one (Jackson's "Invalid UTF-8 middle byte")
            c = self.char_for_error(ch)
            if _id_part(chr(c & 0xFFFF) if c <= 0xFFFF else chr(c)):
                raise self.invalid_token(word)

    # --- numbers ------------------------------------------------------------------------------------------
    def number_char(self, ch: int, comment: str) -> _Failed:
        """reportUnexpectedNumberChar."""
        return _Failed(f"Unexpected character ({char_desc(ch)}) in numeric value: {comment}")

    def invalid_number_start(self, ch: int, negative: bool) -> None:
        """_handleInvalidNumberStart: "-INF" / "-Infinity" are non-standard; anything else no digit."""
        if ch == 0x49:
            if self.p >= self.end:
                raise self.invalid_eof(" in a Number value")
            ch = self.b[self.p]
            self.p += 1
            word = None
            if ch == 0x4E:
                word = "-INF" if negative else "+INF"
            elif ch == 0x6E:
                word = "-Infinity" if negative else "+Infinity"
            if word is not None:
                self.match(word, 3)
                raise self.fail(
                    f"Non-standard token '{word}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"
                )
        raise self.number_char(ch, "expected digit (0-9) to follow minus sign, for valid numeric value")

    def no_leading_zeroes(self) -> None:
        """_verifyNoLeadingZeroes."""
        if self.p < self.end and 0x30 <= self.b[self.p] <= 0x39:
            raise self.fail("Invalid numeric value: Leading zeroes not allowed")

    def number(self, negative: bool) -> str:
        """_parsePosNumber / _parseNegNumber / _parseFloat: the token; a root number must be followed by
        white space (_verifyRootSpace)."""
        c = self.next_byte()
        if c < 0x30 or c > 0x39:
            self.invalid_number_start(c, negative)
        if c == 0x30:
            self.no_leading_zeroes()
        while self.p < self.end and 0x30 <= self.b[self.p] <= 0x39:
            self.p += 1
        if self.p >= self.end:
            return "VALUE_NUMBER_INT"
        c = self.b[self.p]
        self.p += 1
        kind = "VALUE_NUMBER_INT"
        eof = False
        if c == 0x2E:
            kind = "VALUE_NUMBER_FLOAT"
            digits = 0
            while True:
                if self.p >= self.end:
                    eof = True
                    break
                c = self.b[self.p]
                self.p += 1
                if not 0x30 <= c <= 0x39:
                    break
                digits += 1
            if digits == 0:
                raise self.number_char(c, "Decimal point not followed by a digit")
        if c in (0x65, 0x45) and not eof:
            kind = "VALUE_NUMBER_FLOAT"
            c = self.next_byte()
            if c in (0x2D, 0x2B):
                c = self.next_byte()
            digits = 0
            while 0x30 <= c <= 0x39:
                digits += 1
                if self.p >= self.end:
                    eof = True
                    break
                c = self.b[self.p]
                self.p += 1
            if digits == 0:
                raise self.number_char(c, "Exponent indicator not followed by a digit")
        if not eof:
            self.p -= 1
            if self.ctx[-1].kind == "root":
                self.p += 1
                if c in (0x20, 0x09, 0x0A, 0x0D):
                    return kind
                raise self.unexpected(c, "Expected space separating root-level values")
        return kind

    # --- strings and names --------------------------------------------------------------------------------
    def escape(self) -> int:
        """_decodeEscaped: the escaped character."""
        if self.p >= self.end:
            raise self.invalid_eof(" in character escape sequence")
        c = self.b[self.p]
        self.p += 1
        simple = {0x62: 8, 0x74: 9, 0x6E: 10, 0x66: 12, 0x72: 13, 0x22: 0x22, 0x2F: 0x2F, 0x5C: 0x5C}
        if c in simple:
            return simple[c]
        if c != 0x75:
            raise self.fail(f"Unrecognized character escape {char_desc(self.char_for_error(c))}")
        value = 0
        for _ in range(4):
            if self.p >= self.end:
                raise self.invalid_eof(" in character escape sequence")
            ch = self.b[self.p]
            self.p += 1
            if chr(ch) not in "0123456789abcdefABCDEF":
                raise self.unexpected(ch, "expected a hex-digit for character escape sequence")
            value = value << 4 | int(chr(ch), 16)
        return value

    def string(self) -> None:
        """_finishString2: to the closing quote, decoding escapes and UTF-8."""
        while True:
            c = self.next_byte()
            if c == 0x22:
                return
            if c == 0x5C:
                self.escape()
            elif c < 0x20:
                raise self.fail(
                    f"Illegal unquoted character ({char_desc(c)}): has to be escaped using backslash to be "
                    "included in string value"
                )
            elif c >= 0x80:
                needed = 1 if c & 0xE0 == 0xC0 else 2 if c & 0xF0 == 0xE0 else 3 if c & 0xF8 == 0xF0 else 0
                if needed == 0:
                    raise self.fail(f"Invalid UTF-8 start byte 0x{c:x}")
                for _ in range(needed):
                    d = self.next_byte()
                    if d & 0xC0 != 0x80:
                        raise self.fail(f"Invalid UTF-8 middle byte 0x{d:x}")

    def name(self, i: int) -> None:
        """_parseName: a quoted name (ALLOW_UNQUOTED_FIELD_NAMES is off), read at once; its bytes (an escape
        as the UTF-8 of its character) are decoded once the closing quote is read (addName)."""
        if i != 0x22:
            raise self.unexpected(self.char_for_error(i), "was expecting double-quote to start field name")
        if self.p >= self.end:
            raise self.invalid_eof(": was expecting closing '\"' for name")
        data: list[int] = []
        while True:
            if self.p >= self.end:
                raise self.invalid_eof(" in field name")
            c = self.b[self.p]
            self.p += 1
            if c == 0x22:
                self.decode_name(data)
                return
            if c == 0x5C:
                data += chr(self.escape()).encode("utf-8", "surrogatepass")
            elif c < 0x20:
                raise self.fail(
                    f"Illegal unquoted character ({char_desc(c)}): has to be escaped using backslash to be "
                    "included in name"
                )
            else:
                data.append(c)

    def decode_name(self, data: list[int]) -> None:
        """addName: the name's bytes packed four to a signed int, decoded as UTF-8; a continuation byte that
        is not one is reported with the bits of its int above it (the value is shifted, not masked)."""
        quads = []
        for k in range(0, len(data), 4):
            q = int.from_bytes(bytes(data[k : k + 4]).ljust(4, b"\0"), "big")
            quads.append(q - (1 << 32) if q >= 1 << 31 else q)
        ix = 0
        while ix < len(data):
            ch = (quads[ix >> 2] >> ((3 - (ix & 3)) << 3)) & 0xFF
            ix += 1
            if ch <= 127:
                continue
            needed = 1 if ch & 0xE0 == 0xC0 else 2 if ch & 0xF0 == 0xE0 else 3 if ch & 0xF8 == 0xF0 else 0
            if needed == 0:
                raise self.fail(f"Invalid UTF-8 start byte 0x{ch:x}")
            if ix + needed > len(data):
                raise self.invalid_eof(" in field name")
            for k in range(needed):
                ch2 = quads[ix >> 2] >> ((3 - (ix & 3)) << 3)
                ix += 1
                if ch2 & 0xC0 != 0x80:
                    shown = ch2 & 0xFF if k == 2 else ch2 & 0xFFFFFFFF  # Integer.toHexString
                    raise self.fail(f"Invalid UTF-8 middle byte 0x{shown:x}")

    # --- readTree -----------------------------------------------------------------------------------------
    def read_tree(self) -> None:
        """ObjectMapper.readTree: the first token, then the value it starts (JsonNodeDeserializer)."""
        token = self.next_token()
        if token is not None:
            self.read_value(token)

    def read_value(self, token: str) -> None:
        if token == "VALUE_STRING":
            self.token = "VALUE_STRING"
            self.string()
            return
        if token not in ("START_ARRAY", "START_OBJECT"):
            return
        depth = 1
        while depth:
            t = self.next_token()
            if t in ("END_ARRAY", "END_OBJECT"):
                depth -= 1
            elif t in ("START_ARRAY", "START_OBJECT"):
                depth += 1
            elif t == "VALUE_STRING":
                self.string()


def object_end_location(data: bytes) -> str | None:
    """JsonLocation.toString of the top-level object's END_OBJECT token (its `}`, column 1-based in bytes),
    where databind notices a missing creator property; None when the object does not close."""
    depth = 0
    in_string = escaped = False
    row, row_start = 1, 0
    for i, ch in enumerate(data):
        if ch == 0x0A:
            row, row_start = row + 1, i + 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == 0x5C:
                escaped = True
            elif ch == 0x22:
                in_string = False
        elif ch == 0x22:
            in_string = True
        elif ch in (0x7B, 0x5B):
            depth += 1
        elif ch in (0x7D, 0x5D):
            depth -= 1
            if depth == 0:
                return _Parser(data).source(row, i - row_start + 1)
    return None


def jackson_error_at(data: bytes) -> tuple[str, str] | None:
    """The JsonParseException's message and, as its getMessage appends it when the location is kept
    (ksqlDB's REST request parsing), where the parser stopped; None as for `jackson_error`."""
    if len(data) >= 2 and (data[0] == 0 or data[1] == 0):
        return None
    parser = _Parser(data)
    try:
        parser.read_tree()
    except _Failed as e:
        return e.message, parser.current_location()
    return None


CHAR_BUFFER = 4000  # BufferRecycler's CHAR_TOKEN_BUFFER: what ReaderBasedJsonParser asks its reader for at once
UNICODE_MAX = 0x10FFFF  # UTF32Reader.LAST_VALID_UNICODE_CHAR


def utf32_error(data: bytes) -> str | None:
    """The CharConversionException readTree meets in bytes ByteSourceJsonBootstrapper takes for UCS-4: a
    first quad 0x000000?? is UTF-32BE (as the 00 00 00 00 <id> header of Schema Registry framed JSON is),
    0x??000000 UTF-32LE (BOMs 0000FEFF / FFFE0000 too), 0x00??0000 / 0x0000??00 (and their BOMs) an
    unsupported byte order. UTF32Reader.read decodes a whole parser buffer per call and refuses a code point
    above U+10FFFF as it meets it, naming the chars it decoded in that call and the byte it reached. None
    when the first buffer decodes (or the bytes are not UCS-4): the chars would then go to the parser."""
    if len(data) < 4:
        return None
    quad = int.from_bytes(data[:4], "big")
    weird = {0x0000FFFE: "2143", 0xFEFF0000: "3412"}.get(quad)
    start = 0
    if quad in (0x0000FEFF, 0xFFFE0000):  # handleBOM: UCS-4 with a BOM, which is skipped
        big_endian, start = quad == 0x0000FEFF, 4
    elif (weird is None and quad >> 16 in (0xFEFF, 0xFFFE)) or quad >> 8 == 0xEFBBBF:
        return None  # a UTF-16 or UTF-8 byte order mark
    elif weird is None and quad >> 8 == 0:
        big_endian = True
    elif weird is None and quad & 0x00FFFFFF == 0:
        big_endian = False
    elif weird is not None or quad & ~0x00FF0000 & 0xFFFFFFFF == 0 or quad & ~0x0000FF00 & 0xFFFFFFFF == 0:
        order = weird or ("3412" if quad & ~0x00FF0000 & 0xFFFFFFFF == 0 else "2143")
        return f"Unsupported UCS-4 endianness ({order}) detected"
    else:
        return None
    chars = 0
    for ptr in range(start, len(data) - 3, 4):
        b = data[ptr : ptr + 4] if big_endian else data[ptr : ptr + 4][::-1]
        hi, lo = int.from_bytes(b[:2], "big"), int.from_bytes(b[2:], "big")
        if hi:
            if hi > 0x10:
                code = ((hi - 1) << 16) | lo  # the reader's normalised value, 0x10000 below the code point
                return (f"Invalid UTF-32 character 0x{code:x} (above 0x{UNICODE_MAX:08x}) at char #{chars}, "
                        f"byte #{ptr + 3})")  # fmt: skip
            chars += 2  # a surrogate pair
        else:
            chars += 1
        if chars >= CHAR_BUFFER:
            return None
    return None


def jackson_error(data: bytes) -> str | None:
    """The message readTree's JsonParseException has for `data` (its location cleared), or None when readTree
    reads a value (or nothing) from it. UTF-32 input, which Jackson's bootstrapper detects, gives
    `utf32_error`'s message where its reader refuses it; UTF-16 is not followed: None."""
    if len(data) >= 2 and (data[0] == 0 or data[1] == 0 or data[:4] in (b"\xfe\xff\0\0", b"\xff\xfe\0\0")):
        return utf32_error(data)
    parser = _Parser(data)
    try:
        parser.read_tree()
    except _Failed as e:
        return e.message
    return None
