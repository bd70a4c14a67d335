"""HTTP/1.1 reason phrases as ksqlDB's Vert.x 4.3 server writes them: Vert.x takes the status line's text
from Netty's `HttpResponseStatus.valueOf(code).reasonPhrase()` (netty-codec-http 4.1.86, the version ksqlDB
0.29 pins). Clients show it: python-requests' `raise_for_status()` says "400 Client Error: Bad Request"."""

from __future__ import annotations

# HttpResponseStatus's named constants (where Netty's wording differs from RFC 9110's, Netty's: 413, 414, 416)
REASONS: dict[int, str] = {
    100: "Continue",
    101: "Switching Protocols",
    102: "Processing",
    103: "Early Hints",
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    207: "Multi-Status",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    415: "Unsupported Media Type",
    416: "Requested Range Not Satisfiable",
    417: "Expectation Failed",
    421: "Misdirected Request",
    422: "Unprocessable Entity",
    423: "Locked",
    424: "Failed Dependency",
    425: "Unordered Collection",
    426: "Upgrade Required",
    428: "Precondition Required",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
    506: "Variant Also Negotiates",
    507: "Insufficient Storage",
    510: "Not Extended",
    511: "Network Authentication Required",
}

# HttpStatusClass.defaultReasonPhrase, for codes without a constant
_CLASS_PHRASES = {1: "Informational", 2: "Success", 3: "Redirection", 4: "Client Error", 5: "Server Error"}


def reason_phrase(status: int) -> str:
    """`HttpResponseStatus.valueOf(status).reasonPhrase()`: the constant's phrase, else the status class's
    default phrase followed by the code in parentheses ("Client Error (499)")."""
    phrase = REASONS.get(status)
    if phrase is not None:
        return phrase
    return f"{_CLASS_PHRASES.get(status // 100, 'Unknown Status')} ({status})"
