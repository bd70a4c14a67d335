"""Which names a plugin function may take: ksqlDB's ParserKeywordValidatorUtil, as
InternalFunctionRegistry.validateFunctionName applies it to every UDF, UDTF and UDAF factory."""

from __future__ import annotations

from ksqlserver.sql.tokens import KEYWORDS

_JAVA_RESERVED = frozenset(
    ["abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue", "default", "double", "else", "enum", "extends", "do", "final", "finally", "float", "for", "goto", "if", "int", "implements", "import", "instanceof", "interface", "long", "native", "new", "package", "private", "public", "protected", "return", "this", "throw", "throws", "transient", "try", "short", "static", "strictfp", "super", "switch", "synchronized", "void", "volatile", "while"]
)
# the symbolic names of SqlBaseLexer's tokens besides the keywords; DELIMITER (the `tokens {}` entry, the
# highest token type) is left out because createFromVocabulary stops below getMaxTokenType()
_LEXER_SYMBOLS = frozenset(
    ["EQ", "NEQ", "LT", "LTE", "GT", "GTE", "PLUS", "MINUS", "ASTERISK", "SLASH", "PERCENT", "CONCAT", "ASSIGN", "STRUCT_FIELD_REF", "LAMBDA_EXPRESSION", "STRING", "INTEGER_VALUE", "DECIMAL_VALUE", "FLOATING_POINT_VALUE", "IDENTIFIER", "DIGIT_IDENTIFIER", "QUOTED_IDENTIFIER", "BACKQUOTED_IDENTIFIER", "VARIABLE", "SIMPLE_COMMENT", "DIRECTIVE_COMMENT", "BRACKETED_COMMENT", "WS", "UNRECOGNIZED"]
)
# reserved words already taken by built-in functions
_ALLOWED_KSQL = frozenset(("concat", "substring", "replace"))
KSQL_RESERVED = frozenset(w.lower() for w in KEYWORDS | _LEXER_SYMBOLS) - _ALLOWED_KSQL


def _java_start(c: str) -> bool:  # Character.isJavaIdentifierStart, for the characters Python can tell
    return c.isalpha() or c in "_$" or c.isidentifier()


def _java_part(c: str) -> bool:
    return _java_start(c) or c.isdigit() or ("a" + c).isidentifier()


def is_valid_function_name(name: str) -> bool:
    """ParserKeywordValidatorUtil.test: a Java identifier that is no Java or ksqlDB reserved word."""
    if not name or not name.strip() or name.lower() in _JAVA_RESERVED or name.lower() in KSQL_RESERVED:
        return False
    return _java_start(name[0]) and all(_java_part(c) for c in name[1:])


def invalid_name_message(name: str) -> str:
    """InternalFunctionRegistry.validateFunctionName's error text."""
    return (
        f"{name} is not a valid function name. Function names must be valid java identifiers and not a KSQL "
        "reserved word"
    )
