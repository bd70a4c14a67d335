"""Reading the CLI's input as JLine does with ksqlDB's parsers: `CommentStripper`, `UnclosedQuoteChecker`,
`KsqlLineParser` (when a line is complete), `TrimmingParser`, and `CmdLineUtil`'s splitting of a CLI
command into its arguments."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


def strip_comments(line: str) -> str:
    """`CommentStripper.strip`: the line without `--` comments outside quotes, each part trimmed."""
    parts: list[str] = []
    pos, n = 0, len(line)
    while True:
        start, last_char, last_quote = pos, "", ""
        cut = None
        while pos != n:
            c = line[pos]
            if c in "`'\"":
                if last_quote == c:
                    last_quote = ""
                elif not last_quote:
                    last_quote = c
            elif c == "-" and last_char == "-" and not last_quote:
                cut = line[start : pos - 1].strip()
                newline = line.find("\n", pos + 1)
                pos = n if newline == -1 else newline
                break
            last_char = c
            pos += 1
        parts.append(line[start:] if cut is None else cut)
        if pos == n:
            return "".join(parts)


def is_unclosed_quote(line: str) -> bool:
    """`UnclosedQuoteChecker.isUnclosedQuote`: a single quote left open (before any `--`)."""

    def escaped(i: int) -> bool:
        return i > 0 and line[i - 1] == "\\" and not escaped(i - 1)

    quote_start = -1
    i = 0
    while i < len(line):
        if quote_start < 0 and line[i] == "'":
            quote_start = i
        elif quote_start >= 0 and line.startswith("''", i) and not escaped(i):
            i += 1
        elif quote_start >= 0 and line[i] == "'" and not escaped(i):
            quote_start = -1
        i += 1
    comment = line.find("--")
    if comment < 0:
        return quote_start >= 0
    if quote_start < 0:
        return False
    return comment > quote_start


class IncompleteLine(Exception):
    """JLine's EOFError from `KsqlLineParser`: the reader asks for another line."""


def check_complete(line: str, is_cli_command: Callable[[str], bool]) -> None:
    """`KsqlLineParser.parse` on ACCEPT_LINE (after `TrimmingParser` trimmed the line)."""
    line = line.strip()
    if is_unclosed_quote(line):
        raise IncompleteLine("Missing end quote")
    bare = strip_comments(line)
    if not bare or is_cli_command(bare):
        return
    if not bare.endswith(";"):
        raise IncompleteLine("Missing termination char")


def logical_lines(physical: Iterable[str], is_cli_command: Callable[[str], bool]) -> Iterator[str]:
    """The lines the reader returns: physical lines joined (by newlines) until `check_complete` accepts
    them; what is left at the end of the input is returned as it is."""
    buffer: list[str] = []
    for raw in physical:
        buffer.append(raw.rstrip("\r\n"))
        text = "\n".join(buffer)
        try:
            check_complete(text, is_cli_command)
        except IncompleteLine:
            continue
        buffer = []
        yield text.strip()
    if buffer and "\n".join(buffer).strip():
        yield "\n".join(buffer).strip()


def adjust_cursor(line: str, trimmed: str, cursor: int) -> int:
    """`TrimmingParser.adjustCursor`: the cursor's position in the trimmed line."""
    prefix = line.find(trimmed)
    if cursor < prefix:
        return 0
    if cursor < prefix + len(trimmed):
        return cursor - prefix
    return len(trimmed)


def split_by_unquoted_whitespace(text: str) -> list[str]:
    """`CmdLineUtil.splitByUnquotedWhitespace`: whitespace outside single quotes (and outside a `--`
    comment up to its newline) separates the tokens; quotes are kept, a doubled quote inside one too."""
    out: list[str] = []
    in_quotes = in_whitespace = in_comment = False
    prev = "\0"
    token: list[str] = []
    text = text.strip()
    pos = 0
    while pos != len(text):
        c = text[pos]
        if not c.isspace():
            in_whitespace = False
        elif not in_quotes and not in_whitespace and not (in_comment and c != "\n"):
            in_whitespace = True
            in_comment = False
            out.append("".join(token))
            token = []
        if not in_whitespace:
            token.append(c)
        if prev == "-" and c == "-":
            in_comment = True
        if c == "'" and not in_comment:
            if not in_quotes:
                in_quotes = True
            elif len(text) >= pos + 2 and text[pos + 1 : pos + 2] == "'":
                token.append("'")
                pos += 1
            else:
                in_quotes = False
        prev = c
        pos += 1
    if token:
        out.append("".join(token))
    return out


def remove_matched_single_quotes(text: str) -> str:
    """`CmdLineUtil.removeMatchedSingleQuotes`: quoted parts lose their quotes (a doubled quote is one)."""
    result = ""
    quote_start = unquoted_start = -1
    pos = 0
    while pos != len(text):
        c = text[pos]
        if c == "'":
            if quote_start == -1:
                if unquoted_start != -1:
                    result += text[unquoted_start:pos].replace("''", "'")
                    unquoted_start = -1
                quote_start = pos
            elif len(text) >= pos + 2 and text[pos + 1 : pos + 2] == "'":
                pos += 1
            else:
                result += text[quote_start + 1 : pos].replace("''", "'")
                quote_start = -1
        elif quote_start == -1 and unquoted_start == -1:
            unquoted_start = pos
        pos += 1
    if quote_start != -1:
        result += text[quote_start:]
    elif unquoted_start != -1:
        result += text[unquoted_start:]
    return result


class EventNotFound(Exception):
    """JLine's history expansion found no such entry (`!x: event not found`)."""


def expand_history(line: str, history: list[str]) -> str:
    """`JLineReader.KsqlExpander.expandHistory`: only a line starting with `!` or `^` is expanded, then as
    JLine's DefaultExpander does (bash's event designators), outside single quotes and backslash escapes:
    `!!` the last line, `!n` the n-th (from 1), `!-n` the n-th from the end, `!#` the line so far, `!$` the
    last word of the last line, `!?text?` the last line containing text, `!text` the last line starting
    with the rest of the line, and a leading `^old^new^` the last line with old replaced."""
    if not line.startswith(("!", "^")):
        return line
    out: list[str] = []
    in_quote = escaped = False
    i, n = 0, len(line)

    def last() -> str:
        if not history:
            raise EventNotFound("!!: event not found")
        return history[-1]

    while i < n:
        c = line[i]
        if escaped:
            escaped = False
            out.append(c)
        elif c == "'":
            in_quote = not in_quote
            out.append(c)
        elif in_quote:
            out.append(c)
        elif c == "\\":
            escaped = True
            out.append(c)
        elif c == "!" and i + 1 < n:
            i += 1
            c = line[i]
            if c == "!":
                out.append(last())
            elif c == "#":
                out.append("".join(out))
            elif c == "?":
                end = line.find("?", i + 1)
                end = n if end < 0 else end
                text = line[i + 1 : end]
                i = end
                found = next((h for h in reversed(history) if text in h), None)
                if found is None:
                    raise EventNotFound(f"!?{text}: event not found")
                out.append(found)
            elif c == "$":
                if not history:
                    raise EventNotFound("!$: event not found")
                out.append(history[-1].strip().rsplit(" ", 1)[-1])
            elif c in " \t":
                out.append("!" + c)
            elif c == "-" or c.isdigit():
                neg = c == "-"
                start = i + 1 if neg else i
                j = start
                while j < n and line[j].isdigit():
                    j += 1
                digits = line[start:j]
                i = j - 1
                label = ("!-" if neg else "!") + digits
                if not digits:
                    raise EventNotFound(f"{label}: event not found")
                k = int(digits)
                if neg and 0 < k <= len(history):
                    out.append(history[-k])
                elif not neg and 0 < k <= len(history):
                    out.append(history[k - 1])
                else:
                    raise EventNotFound(f"{label}: event not found")
            else:
                prefix = line[i:]
                i = n
                found = next((h for h in reversed(history) if h.startswith(prefix)), None)
                if found is None:
                    raise EventNotFound(f"!{prefix}: event not found")
                out.append(found)
        elif c == "^" and i == 0:
            first = line.find("^", 1)
            second = line.find("^", first + 1) if first > 0 else -1
            second = n if second < 0 else second
            if first > 0:
                out.append(last().replace(line[1:first], line[first + 1 : second]))
                i = second + 2  # JLine resumes one past the closing '^' (and its loop steps once more)
                continue
            out.append(c)
        else:
            out.append(c)
        i += 1
    return "".join(out)
