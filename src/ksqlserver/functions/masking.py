"""MASK and its left/right variants: Unicode categories decide upper / lower / digit / other, as Java's
Character.getType does; a NULL mask character leaves that class unmasked."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.registry import FunctionRegistry, V, udf
from ksqlserver.functions.utf16 import code_points, from_units, to_units

_DEFAULTS = ("X", "x", "n", "-")
_CLASS = {"Lu": 0, "Ll": 1, "Nd": 2}


def _mask_char(m: str | None) -> str | None:
    if m is None:
        return None
    if len(m) != 1:
        raise EvaluationError(f"Invalid mask character. Must be only single character, but was '{m}'")
    return m


@lru_cache(maxsize=256)
def _masker(masks: tuple[str | None, ...] | None) -> Callable[[str], str]:
    chars = _DEFAULTS if masks is None else tuple(_mask_char(m) for m in masks)

    def one(c: str) -> str:
        m = chars[_CLASS.get(unicodedata.category(c), 3)]
        return c if m is None else m

    ascii_table = {i: one(chr(i)) for i in range(128)}

    def mask(s: str) -> str:
        """Masker.mask on Java chars `s`: a pair's character is masked, then its low surrogate on its own
        (an "other" character: a letter then an emoji is "x--")."""
        if s.isascii():
            return s.translate(ascii_table)
        return from_units("".join(one(c) for c in code_points(s)))

    return mask


def _count(name: str, n: int | None) -> int:
    if n is None:  # a primitive int parameter in ksqlDB
        raise EvaluationError(f"Cannot pass NULL to the INT parameter of {name}")
    if n < 0:
        raise EvaluationError(f"function {name} requires a non-negative number of characters to mask or skip")
    return n


def mask(s: str | None, *masks: str | None) -> str | None:
    m = _masker(masks or None)
    return None if s is None else m(to_units(s))


def mask_left(s: str | None, n: int | None, *masks: str | None) -> str | None:
    m = _masker(masks or None)
    k = _count("mask_left", n)
    if s is None:
        return None
    s = to_units(s)  # MaskLeft counts Java chars
    return from_units(m(s[:k]) + s[k:])


def mask_right(s: str | None, n: int | None, *masks: str | None) -> str | None:
    m = _masker(masks or None)
    k = _count("mask_right", n)
    if s is None:
        return None
    s = to_units(s)
    cut = max(len(s) - k, 0)
    return from_units(s[:cut] + m(s[cut:]))


def mask_keep_left(s: str | None, n: int | None, *masks: str | None) -> str | None:
    m = _masker(masks or None)
    k = _count("mask_keep_left", n)
    if s is None:
        return None
    s = to_units(s)
    k = min(k, len(s))
    return from_units(s[:k] + m(s[k:]))


def mask_keep_right(s: str | None, n: int | None, *masks: str | None) -> str | None:
    m = _masker(masks or None)
    k = _count("mask_keep_right", n)
    if s is None:
        return None
    s = to_units(s)
    cut = max(len(s) - k, 0)
    return from_units(m(s[:cut]) + s[cut:])


def register(r: FunctionRegistry) -> None:
    udf(r, "MASK", "STRING",
        "Returns a version of the input string with every character replaced by a mask. Default masking "
        "rules will replace all upper-case characters with 'X', all lower-case characters with 'x', all "
        "digits with 'n', and any other character with '-'.",
        V(
            ["VARCHAR input STRING to be masked"], "VARCHAR", mask,
            "Returns a masked version of the input string. All characters of the input will be replaced "
            "according to the default masking rules.",
            nino=False,
        ),
        V(
            ["VARCHAR input STRING to be masked", "VARCHAR upper-case mask, or NULL to use default", "VARCHAR lower-case mask, or NULL to use default", "VARCHAR digit mask, or NULL to use default", "VARCHAR mask for other characters, or NULL to use default"],
            "VARCHAR",
            mask,
            "Returns a masked version of the input string. All characters of the input will be replaced "
            "with the specified masking characters",
            nino=False,
        ),
        java_name="mask",
    )
    udf(r, "MASK_LEFT", "STRING",
        "Returns a version of the input string with the specified number of characters, starting from the "
        "beginning of the string, masked out. Default masking rules will replace all upper-case "
        "characters with 'X', all lower-case characters with 'x', all digits with 'n', and any other "
        "character with '-'.",
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to mask from the start"],
            "VARCHAR",
            mask_left,
            "Returns a masked version of the input string. The first n characters will be replaced "
            "according to the default masking rules.",
            nino=False,
        ),
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to mask from the start", "VARCHAR upper-case mask, or NULL to use default", "VARCHAR lower-case mask, or NULL to use default", "VARCHAR digit mask, or NULL to use default", "VARCHAR mask for other characters, or NULL to use default"],
            "VARCHAR",
            mask_left,
            "Returns a masked version of the input string. The first n characters will be replaced with "
            "the specified masking characters",
            nino=False,
        ),
        java_name="mask_left",
    )
    udf(r, "MASK_RIGHT", "STRING",
        "Returns a version of the input string with the specified number of characters, counting back "
        "from the end of the string, masked out. Default masking rules will replace all upper-case "
        "characters with 'X', all lower-case characters with 'x', all digits with 'n', and any other "
        "character with '-'.",
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to mask before the end"],
            "VARCHAR",
            mask_right,
            "Returns a masked version of the input string. The last n characters will be replaced "
            "according to the default masking rules.",
            nino=False,
        ),
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to mask before the end", "VARCHAR upper-case mask, or NULL to use default", "VARCHAR lower-case mask, or NULL to use default", "VARCHAR digit mask, or NULL to use default", "VARCHAR mask for other characters, or NULL to use default"],
            "VARCHAR",
            mask_right,
            "Returns a masked version of the input string. The last n characters will be replaced with "
            "the specified masking characters",
            nino=False,
        ),
        java_name="mask_right",
    )
    udf(r, "MASK_KEEP_LEFT", "STRING",
        "Returns a version of the input string with all but the specified number of left-most characters "
        "masked out. Default masking rules will replace all upper-case characters with 'X', all "
        "lower-case characters with 'x', all digits with 'n', and any other character with '-'.",
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to keep unmasked at the start"],
            "VARCHAR",
            mask_keep_left,
            "Returns a masked version of the input string. All characters except for the first n will be "
            "replaced according to the default masking rules.",
            nino=False,
        ),
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to keep unmasked at the start", "VARCHAR upper-case mask, or NULL to use default", "VARCHAR lower-case mask, or NULL to use default", "VARCHAR digit mask, or NULL to use default", "VARCHAR mask for other characters, or NULL to use default"],
            "VARCHAR",
            mask_keep_left,
            "Returns a masked version of the input string. All characters except for the first n will be "
            "replaced with the specified masking characters",
            nino=False,
        ),
        java_name="mask_keep_left",
    )
    udf(r, "MASK_KEEP_RIGHT", "STRING",
        "Returns a version of the input string with all but the specified number of right-most characters "
        "masked out. Default masking rules will replace all upper-case characters with 'X', all "
        "lower-case characters with 'x', all digits with 'n', and any other character with '-'.",
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to keep unmasked at the end"],
            "VARCHAR",
            mask_keep_right,
            "Returns a masked version of the input string. All characters except for the last n will be "
            "replaced according to the default masking rules.",
            nino=False,
        ),
        V(
            ["VARCHAR input STRING to be masked", "INT number of characters to keep unmasked at the end", "VARCHAR upper-case mask, or NULL to use default", "VARCHAR lower-case mask, or NULL to use default", "VARCHAR digit mask, or NULL to use default", "VARCHAR mask for other characters, or NULL to use default"],
            "VARCHAR",
            mask_keep_right,
            "Returns a masked version of the input string. All characters except for the last n will be "
            "replaced with the specified masking characters",
            nino=False,
        ),
        java_name="mask_keep_right",
    )
