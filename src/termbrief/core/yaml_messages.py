"""Plain-language messages for YAML syntax errors, and the line edits that get past them.

libyaml stops at the first syntax error and words it in parser terms ("mapping values are not
allowed in this context"). For the slips people make when writing a brief by hand (a colon in a
one-line value, an indentation slip, a ``|`` block that ends early, a tab, an unclosed quote or
bracket) :func:`explain` says what happened in the file's own terms, keeps PyYAML's text as a
detail, and proposes a :class:`LineEdit`: the smallest change of one line that lets parsing go
on, so that one run reports the problems after the first one too. The edits marked as fixes are
mechanical and keep the author's text; ``termbrief check --fix`` offers those.
"""

from __future__ import annotations

import re
from typing import Final

import msgspec
from yaml.error import MarkedYAMLError

from termbrief.core.yaml_lines import (
    BLOCK_HEADER,
    KEY_LINE,
    TAIL_COMMENT,
    Doc,
    LineEdit,
    apply_edit,
    blank,
    quote_value,
    reindent,
    value_span,
)

__all__ = ["LineEdit", "SyntaxProblem", "apply_edit", "explain", "quote_value"]


class SyntaxProblem(msgspec.Struct, frozen=True):
    """One YAML syntax error, explained."""

    offset: int
    """Character offset of the text where the problem is reported."""
    message: str
    """What is wrong, in the file's terms, and how to fix it."""
    detail: str
    """PyYAML's own words, for those who know them."""
    edit: LineEdit | None
    """A change of one line that lets parsing continue, if one is known."""


_IDENTIFIER: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_CLOSERS: Final = {"[": "]", "{": "}"}

_Explained = tuple[int, str, LineEdit | None]
"""Where to report (a character offset), the message, and the edit that gets past it."""


def explain(text: str, error: MarkedYAMLError) -> SyntaxProblem:
    """What ``error`` means for someone editing ``text`` by hand."""
    doc = Doc(text)
    mark = error.problem_mark or error.context_mark
    offset = min(mark.index, len(text)) if mark is not None else 0
    detail = _pyyaml_words(error)
    problem = error.problem or ""
    context = error.context or ""
    explained: _Explained | None = None
    if problem == "mapping values are not allowed in this context":
        explained = _colon(doc, offset)
    elif problem in ("did not find expected key", "did not find expected '-' indicator"):
        explained = _misplaced_line(doc, offset, problem)
    elif problem == "could not find expected ':'" and error.context_mark is not None:
        explained = _misplaced_line(doc, min(error.context_mark.index, len(text)), problem)
    elif "tab character" in problem or (
        problem.startswith("found character that cannot start any token")
        and text[offset : offset + 1] == "\t"
    ):
        explained = _tab(doc, offset)
    elif problem.startswith("found character that cannot start any token"):
        explained = _bad_start(doc, offset)
    elif context == "while scanning an alias" or problem == "found undefined alias":
        start = error.context_mark.index if error.context_mark is not None else offset
        explained = _bad_start(doc, start if context else offset)
    elif context == "while scanning a quoted scalar" and "end of stream" in problem:
        assert error.context_mark is not None
        explained = _unclosed_quote(doc, error.context_mark.index)
    elif context == "while parsing a flow node":
        opening = max(text.rfind("[", 0, offset), text.rfind("{", 0, offset))
        explained = _unclosed_bracket(doc, opening, offset) if opening >= 0 else None
    elif context.startswith("while parsing a flow") and error.context_mark is not None:
        explained = _unclosed_bracket(doc, error.context_mark.index, offset)
    elif context == "while parsing a quoted scalar" and (
        "escape" in problem or "hexdecimal" in problem
    ):
        explained = _bad_escape(doc, offset)
    elif problem == "block sequence entries are not allowed in this context":
        explained = _dash_after_key(doc, offset)
    elif context == "while scanning a block scalar" and "line break" in problem:
        explained = _text_after_block_header(doc, offset)
    elif "another document" in problem:
        explained = (offset, _another_document(), None)
    if explained is None:
        return SyntaxProblem(offset, f"YAML syntax: {detail}", "", None)
    where, message, edit = explained
    return SyntaxProblem(where, message, f"YAML parser: {detail}", edit)


def _pyyaml_words(error: MarkedYAMLError) -> str:
    problem, context = error.problem, error.context
    if problem and context:
        return f"{problem} ({context})"
    return problem or context or "invalid YAML"


def _named(field: str, message: str) -> str:
    return f"`{field}`: {message}" if field else message


def _spaces(count: int) -> str:
    return f"{count} space" if count == 1 else f"{count} spaces"


def _quote_edit(doc: Doc, line: int, start: int, why: str) -> LineEdit | None:
    """Quote the value that starts at column ``start`` of ``line``, up to a trailing comment."""
    text = doc.lines[line]
    start, end = value_span(text, start)
    value = text[start:end]
    if not value:
        return None
    quoted = quote_value(value)
    return LineEdit(
        line,
        text[:start] + quoted + text[end:],
        start,
        len(quoted) - len(value),
        f"quote the value of `{doc.key_of(line)}` ({why})" if doc.key_of(line) else why,
    )


def _colon(doc: Doc, offset: int) -> _Explained:
    """``mapping values are not allowed``: a second colon on a key's line, or a line that YAML
    read as the continuation of the value above it."""
    line, column = doc.locate(offset)
    text = doc.lines[line]
    key = KEY_LINE.match(text)
    if key and key.end() <= column:
        value_start = key.end()
        if text[value_start : value_start + 1] not in ("'", '"'):
            field = key.group(3).strip()
            edit = _quote_edit(doc, line, value_start, "a colon and a space inside it")
            return (
                doc.offset(line, value_start),
                _named(
                    field,
                    "this value holds a colon followed by a space, which YAML reads as the "
                    "start of a new key; quote the whole value"
                    + (f": {edit.text.strip()}" if edit else ""),
                ),
                edit,
            )
    above = doc.previous_content(line)
    if above is not None:
        glued = re.match(r"^(\s*(?:-\s+)*)([^\s:#]+):(?=[^\s:])", doc.lines[above])
        if glued and not KEY_LINE.match(doc.lines[above]):
            field = glued.group(2)
            at = glued.end()
            fixed = doc.lines[above][:at] + " " + doc.lines[above][at:]
            edit = LineEdit(above, fixed, at, 1, f"add a space after `{field}:`")
            return (
                doc.offset(above, at - 1),
                f"`{field}`: a key needs a space after its colon (`{fixed.strip()}`); "
                "without it YAML reads the line as text, not as a key",
                edit,
            )
        return _deeper_than_siblings(doc, line, above)
    return offset, "a colon followed by a space starts a key here; quote the text", None


def _deeper_than_siblings(doc: Doc, line: int, above: int) -> _Explained:
    indent = doc.indent(line)
    field = doc.key_of(line)
    levels = [level for level in doc.levels_above(line) if level[0] < indent]
    if not levels:
        return doc.offset(line, indent), "YAML cannot read this line; check its indentation", None
    target, kind = levels[0]
    said = f"this line is indented {_spaces(indent)}; the {kind} above use {target}, so YAML "
    if _IDENTIFIER.match(field):  # most likely a key of its own, indented too far
        message = (
            f"{said}reads it as more of the value on line {above + 1}: line it up with the "
            f"{kind} above, or quote the value above if this line belongs to it"
        )
        return doc.offset(line, indent), _named(field, message), reindent(doc, line, target)
    message = (
        f"{said}reads it as more of the value on line {above + 1}, and the colon followed by "
        "a space in it as the start of a key: quote that whole value, or write it as a `|` block"
    )
    return doc.offset(line, indent), _named(doc.key_of(above), message), blank(doc, line)


def _block_above(doc: Doc, line: int) -> tuple[int, int] | None:
    """The ``|``/``>`` header line above ``line`` whose block ``line`` fell out of, with the
    indentation of the block's first line of text."""
    indent = doc.indent(line)
    first_text: int | None = None
    for above in range(line - 1, -1, -1):
        if not doc.lines[above].strip():
            continue
        if doc.indent(above) > indent:
            first_text = above
            continue
        if first_text is not None and BLOCK_HEADER.search(doc.lines[above]):
            return above, doc.indent(first_text)
        return None
    return None


def _misplaced_line(doc: Doc, offset: int, problem: str) -> _Explained:
    """A line YAML could not fit into the structure above it."""
    line, column = doc.locate(offset)
    text = doc.lines[line]
    indent = doc.indent(line)
    before = text[:column].rstrip()
    if before and before[-1] in "\"'" and column > indent:
        return _text_after_quote(doc, line, column)
    block = _block_above(doc, line)
    at = doc.offset(line, indent)
    if block is not None:
        header, block_indent = block
        owner = doc.key_of(header)
        last = max(n for n in range(header, line) if doc.lines[n].strip())
        message = (
            f"this line is indented {_spaces(indent)}, less than the `|` block of `{owner}` "
            f"(line {header + 1}) above it, which uses {block_indent}: the block ended on "
            f"line {last + 1}. Indent this line by {block_indent} to keep it in the block"
        )
        return at, message, reindent(doc, line, block_indent)
    levels = doc.levels_above(line)
    field = doc.key_of(line)
    same = [kind for level, kind in levels if level == indent]
    if same and "'-' indicator" in problem and not text.lstrip().startswith("-"):
        key_column = next((level for level, kind in levels if level > indent), indent + 2)
        message = (
            f"this line is indented like the `-` items above ({_spaces(indent)}) but does not "
            f"start with `- `; start it with `- `, or indent it by {key_column} to continue "
            "the item above"
        )
        return at, _named(field, message), reindent(doc, line, key_column)
    if same:  # at a known level, yet unreadable: a key without its colon, most often
        message = (
            "YAML cannot read this line as a `key: value` of the mapping above; add the key "
            "and its colon, or indent the line to continue the value above"
        )
        return at, _named(field, message), blank(doc, line)
    deeper = [(level, kind) for level, kind in levels if level > indent]
    if deeper:
        target, kind = deeper[-1]
    elif levels:
        target, kind = levels[0]
    else:
        return at, _named(field, "YAML cannot read this line; check its indentation"), None
    message = f"this line is indented {_spaces(indent)}; the {kind} above use {target}"
    if not (KEY_LINE.match(text) or text.lstrip().startswith("-")):
        return at, _named(field, message), blank(doc, line)  # moving it would not help
    return at, _named(field, message), reindent(doc, line, target)


def _text_after_quote(doc: Doc, line: int, column: int) -> _Explained:
    """``title: "Red" Sea``, or a quote opened on an earlier line that closes here."""
    text = doc.lines[line]
    key = KEY_LINE.match(text)
    closing = len(text[:column].rstrip()) - 1
    if key and text[key.end() : key.end() + 1] in ("'", '"') and closing > key.end():
        field = key.group(3).strip()
        start, end = value_span(text, key.end())
        value = text[start:end]
        quote = value[0]
        inner = value[1:-1] if len(value) > 1 and value[-1] == quote else value
        fixed = quote_value(inner)
        edit = LineEdit(
            line,
            text[:start] + fixed + text[end:],
            start,
            len(fixed) - len(value),
            f"quote the whole value of `{field}`",
        )
        return (
            doc.offset(line, start),
            f"`{field}`: the value ends at the {_quote_name(quote)} in column {column}, and "
            f"YAML cannot read the text after it; quote the whole value: {edit.text.strip()}",
            edit,
        )
    quote = text[closing]
    opening = doc.text.rfind(quote, 0, doc.offset(line, closing))
    open_line, open_column = doc.locate(max(opening, 0))
    field = doc.key_of(open_line)
    edit = LineEdit(
        open_line, doc.lines[open_line] + quote, len(doc.lines[open_line]), 1
    )  # close it where it most likely ends
    message = (
        f"the {_quote_name(quote)} opened here closes only on line {line + 1}; "
        f"add the missing closing {quote}"
    )
    return doc.offset(open_line, open_column), _named(field, message), edit


def _quote_name(quote: str) -> str:
    return 'double quote (")' if quote == '"' else "single quote (')"


def _tab(doc: Doc, offset: int) -> _Explained:
    line, column = doc.locate(offset)
    text = doc.lines[line]
    leading = len(text) - len(text.lstrip(" \t"))
    field = doc.key_of(line)
    tab = text.find("\t", 0, max(leading, column + 1))
    at = doc.offset(line, tab if tab >= 0 else column)
    message = "a tab indents this line; YAML allows only spaces for indentation"
    if tab < 0 or tab >= leading:
        tab = text.find("\t", column)
        if tab < 0:
            return at, _named(field, message + ": replace the tab with spaces"), None
        spaced = text[:tab] + " " + text[tab + 1 :]
        edit = LineEdit(line, spaced, tab, 0, "a space instead of a tab after `-`")
        message = "a tab after `-` is not allowed here; use a space"
        return doc.offset(line, tab), _named(field, message), edit
    above = doc.previous_content(line)
    target = 0
    if above is not None:
        inner = re.match(r"\s*(?:-\s+)*", doc.lines[above])
        target = inner.end() if inner else doc.indent(above)
        if doc.lines[above].rstrip().endswith(":"):  # the key this line's block belongs to
            target = doc.indent(above) + 2
    edit = LineEdit(
        line,
        " " * target + text[leading:],
        0,
        target - leading,
        f"indent with {_spaces(target)} instead of a tab, like line {(above or 0) + 1}",
    )
    return at, _named(field, f"{message}: indent it with {_spaces(target)}"), edit


def _bad_start(doc: Doc, offset: int) -> _Explained:
    """A plain value starting with a character YAML reserves (``@``, `````, ``%``, ``*``)."""
    line, column = doc.locate(offset)
    text = doc.lines[line]
    char = text[column : column + 1]
    key = KEY_LINE.match(text)
    dash = re.match(r"\s*-\s+", text)
    if (key and key.end() == column) or (dash and dash.end() == column):
        start = column
    else:
        return (
            offset,
            _named(doc.key_of(line), f"`{char}` cannot appear here unquoted; quote the value"),
            None,
        )
    field = doc.key_of(line)
    why = "an alias, a reference to an `&anchor`" if char == "*" else "YAML syntax"
    edit = _quote_edit(doc, line, start, f"it starts with `{char}`")
    message = (
        f"a value starting with `{char}` is read as {why}, not as text; quote the whole value"
        + (f": {edit.text.strip()}" if edit else "")
    )
    return doc.offset(line, start), _named(field, message), edit


def _unclosed_quote(doc: Doc, opening: int) -> _Explained:
    line, _ = doc.locate(opening)
    quote = doc.text[opening]
    text = doc.lines[line]
    message = (
        f"this {_quote_name(quote)} is never closed, so the value runs to the end of the "
        f"file; add the closing {quote}"
    )
    edit = LineEdit(line, text + quote, len(text), 1)
    return opening, _named(doc.key_of(line), message), edit


def _unclosed_bracket(doc: Doc, opening: int, offset: int) -> _Explained:
    open_line, _ = doc.locate(opening)
    bracket = doc.text[opening : opening + 1]
    closer = _CLOSERS.get(bracket)
    line, _ = doc.locate(offset)
    field = doc.key_of(open_line)
    if closer is None:
        return offset, _named(field, "YAML cannot read this [ ] or { } collection"), None
    if line == open_line:
        message = f"expected `,` or `{closer}` here, inside the `{bracket}` opened in this line"
        return offset, _named(field, message), None
    last = open_line
    for candidate in range(open_line, line):
        if doc.is_content(candidate):
            last = candidate
    text = doc.lines[last]
    comment = TAIL_COMMENT.search(text)
    end = comment.start() if comment else len(text.rstrip())
    edit = LineEdit(last, text[:end] + closer + text[end:], end, 1)
    message = (
        f"the `{bracket}` opened here is never closed; end it with `{closer}` (on line "
        f"{last + 1}, where its items seem to end)"
    )
    return opening, _named(field, message), edit


def _bad_escape(doc: Doc, offset: int) -> _Explained | None:
    line, column = doc.locate(offset)
    text = doc.lines[line]
    backslash = text.rfind("\\", 0, column + 1)
    if backslash < 0:
        return None
    field = doc.key_of(line)
    fixed = text[:backslash] + "\\" + text[backslash:]
    escape = text[backslash : backslash + 2]
    message = (
        f"`{escape}` in a double-quoted value starts an escape sequence; write `\\{escape}` "
        "for a backslash, or use single quotes"
    )
    edit = LineEdit(line, fixed, backslash, 1, f"double the backslash in `{escape}`")
    return doc.offset(line, backslash), _named(field, message), edit


def _dash_after_key(doc: Doc, offset: int) -> _Explained:
    line, _ = doc.locate(offset)
    message = (
        "a `- ` list item cannot start on the line of its key; put each item on its own "
        "line, indented, or write the list as [a, b]"
    )
    return offset, _named(doc.key_of(line), message), blank(doc, line)


def _text_after_block_header(doc: Doc, offset: int) -> _Explained:
    line, column = doc.locate(offset)
    text = doc.lines[line]
    header = text.rfind("|", 0, column)
    header = max(header, text.rfind(">", 0, column))
    cut = header + 1 if header >= 0 else column
    message = (
        "`|` or `>` must end its line; start the text on the next line, indented, "
        "or quote a one-line value instead"
    )
    edit = LineEdit(line, text[:cut], cut, cut - len(text))
    return offset, _named(doc.key_of(line), message), edit


def _another_document() -> str:
    return (
        "a line `---` starts a second YAML document; a brief is one document: remove the `---` "
        "(or what follows it)"
    )
