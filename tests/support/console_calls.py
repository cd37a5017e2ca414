"""Which API operations the console's scripts call, read from their text.

The console calls the API only through `api.js` (`get`, `post`, `patch`, `put`, `remove`,
`upload`, `fetchFile`, `request`). A call's path is a string or template literal, a constant, or
a small path function (`const loanPath = (id) => `…``); each is resolved within the console's
scripts, and a `${…}` that is not a constant or path function stands for one path segment. A
segment standing for a literal word of the API's path (`${verb}` for `/retire`) counts only when
that word is written in the same script as a string, so a wildcard does not claim operations the
script never names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CONSOLE_SCRIPTS = Path(__file__).resolve().parents[2] / "gateway" / "console" / "js"

_METHODS = {
    "get": "get",
    "post": "post",
    "patch": "patch",
    "put": "put",
    "remove": "delete",
    "upload": "post",
    "fetchFile": "get",
}
_LITERAL = r"\"[^\"\n]*\"|`[^`\n]*`"
# a constant's value, or each path of a choice between paths (`cond ? `…` : `…``)
_CONSTANT = re.compile(r"\b(?:const|let)\s+(\w+)\s*=\s*([^;\n]*)")
_PATH_LITERAL = re.compile(r"\"(/[^\"\n]*)\"|`((?:/|\$\{)[^`\n]*)`")
_PATH_FUNCTION = re.compile(
    rf"(?:\bconst\s+(\w+)\s*=\s*\([^)]*\)\s*=>\s*({_LITERAL}))"
    rf"|(?:\bfunction\s+(\w+)\s*\([^)]*\)\s*\{{\s*return\s+({_LITERAL})\s*;?\s*\}})"
)
_CALL = re.compile(
    r"(?<![\w.])(?:api\.)?(get|post|patch|put|remove|upload|fetchFile)\(\s*"
    rf"({_LITERAL}|[A-Za-z_$][\w$.]*(?:\([^()]*\))?)"
)
_REQUEST = re.compile(rf"\brequest\(\s*\"([A-Z]+)\"\s*,\s*({_LITERAL}|[A-Za-z_$][\w$.]*)")
_FETCH = re.compile(rf"\bfetch\(\s*({_LITERAL})\s*(?:,\s*\{{[^}}]*?method:\s*\"([A-Z]+)\")?")
_PLACEHOLDER = re.compile(r"\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_WORD = re.compile(r"\"([a-z][a-z0-9_-]*)\"")
_ANY = "\x00"


@dataclass(frozen=True)
class Script:
    name: str
    text: str

    @property
    def words(self) -> set[str]:
        return set(_WORD.findall(self.text))


def _unquote(literal: str) -> str:
    return literal[1:-1]


_DEFINITION = re.compile(
    r"\bfunction\s+(\w+)\s*\(([^)]*)\)|\b(?:const|let)\s+(\w+)\s*=\s*(?:async\s*)?\(([^)]*)\)\s*=>"
)


def _parameters(text: str) -> list[str]:
    return [re.split(r"[\s=]", part.strip(" {}"), maxsplit=1)[0] for part in text.split(",")]


def _arguments(text: str, start: int) -> list[str]:
    """The top-level arguments of the call whose `(` ends just before `start`."""
    arguments, depth, quote, begun = [], 0, None, start
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = None
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        elif char in ",)" and not depth:
            arguments.append(text[begun:index].strip())
            begun = index + 1
            if char == ")":
                return arguments
    return arguments


class Resolver:
    """Resolves a path expression where it is written: a constant (the nearest definition
    before it), a parameter (what the function's callers pass), or a path function."""

    def __init__(self, scripts: list[Script]):
        self.scripts = {script.name: script for script in scripts}
        self.constants: dict[str, list[tuple[int, str, set[str]]]] = {}
        self.functions: dict[str, dict[str, set[str]]] = {}
        for script in scripts:
            for match in _CONSTANT.finditer(script.text):
                paths = {a or b for a, b in _PATH_LITERAL.findall(match.group(2))}
                if paths:
                    self.constants.setdefault(script.name, []).append(
                        (match.start(), match.group(1), paths)
                    )
            for match in _PATH_FUNCTION.finditer(script.text):
                name = match.group(1) or match.group(3)
                literal = match.group(2) or match.group(4)
                self.functions.setdefault(name, set()).add(_unquote(literal))

    def expression(self, script: str, expression: str, position: int, depth: int = 0) -> set[str]:
        """The path templates an expression may stand for; `_ANY` marks an unknown segment."""
        expression = expression.strip()
        if depth > 8:
            return {_ANY}
        if expression[:1] in '"`':
            return self.template(script, _unquote(expression), position, depth)
        call = re.fullmatch(r"([\w$]+)\(.*\)", expression, re.S)
        if call and call.group(1) in self.functions:
            bodies = self.functions[call.group(1)]
            return set().union(*(self.template(script, b, position, depth + 1) for b in bodies))
        if re.fullmatch(r"[\w$]+", expression):
            return self.name(script, expression, position, depth)
        return {_ANY}

    def name(self, script: str, name: str, position: int, depth: int) -> set[str]:
        text = self.scripts[script].text
        constant = max(
            (c for c in self.constants.get(script, []) if c[1] == name and c[0] < position),
            default=None,
        )
        parameter = max(
            (
                (m.start(), m[1] or m[3], _parameters(m[2] if m[1] else m[4]))
                for m in _DEFINITION.finditer(text, 0, position)
                if name in _parameters(m[2] if m[1] else m[4])
            ),
            default=None,
        )
        if parameter and (constant is None or parameter[0] > constant[0]):
            return self.passed(parameter[1], parameter[2].index(name), depth)
        if constant:
            return set().union(
                *(self.template(script, v, constant[0], depth + 1) for v in constant[2])
            )
        exported = [c for cs in self.constants.values() for c in cs if c[1] == name]
        if name.isupper() and exported:  # constants shared between scripts are in capitals
            return {v for c in exported for v in c[2]}
        return {_ANY}

    def passed(self, function: str, index: int, depth: int) -> set[str]:
        """What the callers of `function` pass as its `index`th argument."""
        found: set[str] = set()
        for script in self.scripts.values():
            for call in re.finditer(rf"(?<![\w.$]){re.escape(function)}\(", script.text):
                if re.search(r"function\s*$", script.text[: call.start()]):
                    continue
                arguments = _arguments(script.text, call.end())
                if index < len(arguments) and arguments[index]:
                    found |= self.expression(script.name, arguments[index], call.start(), depth + 1)
        return found or {_ANY}

    def template(self, script: str, text: str, position: int, depth: int) -> set[str]:
        results = {""}
        at = 0
        for placeholder in _PLACEHOLDER.finditer(text):
            literal = text[at : placeholder.start()]
            options = self.expression(script, placeholder.group(1), position, depth + 1)
            results = {done + literal + option for done in results for option in options}
            at = placeholder.end()
        return {done + text[at:] for done in results}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    script: Script


def console_calls(directory: Path = CONSOLE_SCRIPTS) -> list[Call]:
    files = sorted(directory.glob("*.js"))
    scripts = [Script(p.name, p.read_text(encoding="utf-8")) for p in files]
    resolver = Resolver(scripts)
    calls: list[Call] = []
    for script in scripts:
        text = script.text
        found = [(_METHODS[m[1]], m[2], m.start()) for m in _CALL.finditer(text)]
        found += [(m[1].lower(), m[2], m.start()) for m in _REQUEST.finditer(text)]
        found += [((m[2] or "GET").lower(), m[1], m.start()) for m in _FETCH.finditer(text)]
        for method, expression, position in found:
            for path in resolver.expression(script.name, expression, position):
                path = path.split("?", 1)[0]
                if path.startswith("/api/"):
                    calls.append(Call(method, path, script))
    return calls


def _segment_pattern(segment: str) -> re.Pattern:
    return re.compile("[^/]+".join(re.escape(part) for part in segment.split(_ANY)))


def calls_operation(call: Call, method: str, path: str) -> bool:
    """Whether `call` reaches the API's `method` `path` (OpenAPI form, `{name}` parameters)."""
    if call.method != method:
        return False
    wanted, written = path.strip("/").split("/"), call.path.strip("/").split("/")
    if len(wanted) != len(written):
        return False
    for api_segment, js_segment in zip(wanted, written, strict=True):
        if api_segment.startswith("{"):
            continue
        if _ANY not in js_segment:
            if js_segment != api_segment:
                return False
        elif not _segment_pattern(js_segment).fullmatch(api_segment) or (
            js_segment == _ANY and api_segment not in call.script.words
        ):
            return False
    return True
