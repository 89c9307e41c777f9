"""Does a question hold a visible character? One rule for validation and the OpenAPI schema.

Invisible: white space and separators (Unicode category Z), control characters (Cc), format
characters (Cf: zero-width spaces and joiners, direction marks and isolates, the BOM, tag
characters...), and the few letters, symbols and marks that are drawn as
nothing: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0, category Lo), the blank Braille
pattern (U+2800, So), the combining grapheme joiner, Khmer inherent vowels and the variation
selectors (Mn, default-ignorable). Everything else counts (letters, digits, punctuation, symbols,
marks, private-use and unassigned code points, which fonts draw as a box).

(Lone surrogates, Cs, never get here: a body holding one is refused with 400 first, and query strings
are decoded with replacement characters. The pattern leaves them out because Rust's regex engine,
behind some JSON Schema validators, cannot name them.)

`QUESTION_PATTERN` is one character class, valid as a Python, an ECMA-262 (`u` flag) and a Rust
regular expression, so the JSON schema's `pattern` says exactly what the server accepts.
tests/test_hardening_http_small.py checks it against this Python's `unicodedata` for every code point.
"""

from __future__ import annotations

import re

FORMAT_CHARACTERS = (  # category Cf, Unicode 14 (Python 3.11's unicodedata)
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
DRAWN_AS_NOTHING = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180D), (0x180F, 0x180F), (0x2800, 0x2800),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF),
)  # fmt: skip
CONTROLS = ((0x0000, 0x001F), (0x007F, 0x009F))


def _class_item(first: int, last: int) -> str:
    # \uXXXX escapes in the BMP (the same in Python and ECMA); beyond it the characters themselves,
    # which both read as one code point (ECMA with the `u` flag, as JSON Schema validators use).
    def one(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    return one(first) if first == last else f"{one(first)}-{one(last)}"


QUESTION_PATTERN = "[^\\s" + "".join(_class_item(a, b) for a, b in (*CONTROLS, *FORMAT_CHARACTERS, *DRAWN_AS_NOTHING)) + "]"
"""Matches one visible character (search, not full match: a question needs at least one)."""
_VISIBLE = re.compile(QUESTION_PATTERN)


def has_visible_character(text: str) -> bool:
    """True when `text` holds at least one character a person would see."""
    return _VISIBLE.search(text) is not None
