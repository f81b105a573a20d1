"""Every URL pattern of the project, each with an example path that resolves to it."""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve


@dataclass(frozen=True)
class UrlEntry:
    key: str  # the joined pattern strings, as ResolverMatch.route spells them
    name: str  # "namespace:name" or ""
    regex: str  # the joined regular expression


def all_patterns() -> list[UrlEntry]:
    entries: list[UrlEntry] = []

    def walk(resolver: URLResolver, key: str, regex: str, namespace: str) -> None:
        for item in resolver.url_patterns:
            # Joined as Django's ResolverMatch.route does: later pieces lose their "^".
            piece_key = str(item.pattern).removeprefix("^") if key else str(item.pattern)
            piece_regex = _strip_anchors(item.pattern.regex.pattern)
            if isinstance(item, URLResolver):
                ns = namespace
                if item.namespace:
                    ns = f"{namespace}{item.namespace}:"
                walk(item, key + piece_key, regex + piece_regex, ns)
            elif isinstance(item, URLPattern):
                name = f"{namespace}{item.name}" if item.name else ""
                entries.append(UrlEntry(key + piece_key, name, regex + piece_regex))

    walk(get_resolver(), "", "", "")
    return entries


def _strip_anchors(pattern: str) -> str:
    pattern = pattern.removeprefix("^")
    for end in (r"\Z", "$"):
        if pattern.endswith(end) and not pattern.endswith("\\" + end):
            pattern = pattern[: -len(end)]
    return pattern


def example_path(entry: UrlEntry) -> str:
    """The shortest path the pattern accepts: numbers become 0, words x, optional parts go.

    A parameter named like an id (``pk``, ``*_id``, ``*_pk``) gets "0" even where the pattern
    would take any word: an id that does not exist, rather than one that is not an id.
    """
    parsed = sre_parse.parse(entry.regex)
    id_groups = {
        index
        for name, index in parsed.state.groupdict.items()
        if name in {"pk", "id"} or name.endswith(("_id", "_pk"))
    }
    path = "/" + _generate(parsed, id_groups)
    match = resolve(path)
    if match.route != entry.key:
        raise AssertionError(f"{path} resolves to {match.route!r}, not {entry.key!r}")
    return path


def _generate(parsed: sre_parse.SubPattern, id_groups: set[int]) -> str:
    out = []
    for op, arg in parsed:
        if op is sre.LITERAL:
            out.append(chr(arg))
        elif op is sre.NOT_LITERAL:
            out.append("x" if chr(arg) != "x" else "y")
        elif op is sre.ANY:
            out.append("x")
        elif op is sre.IN:
            out.append(_one_of(arg))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, sub = arg
            out.append(_generate(sub, id_groups) * low)
        elif op is sre.SUBPATTERN:
            out.append("0" if arg[0] in id_groups else _generate(arg[-1], id_groups))
        elif op is sre.BRANCH:
            out.append(_generate(arg[1][0], id_groups))
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        else:
            raise ValueError(f"cannot generate an example for regex op {op}")
    return "".join(out)


def _one_of(items: list) -> str:
    negated = items and items[0][0] is sre.NEGATE
    if negated:
        excluded = re.compile("[" + "".join(_describe(items[1:])) + "]")
        return next(c for c in "x1a-_" if not excluded.match(c))
    op, arg = items[0]
    if op is sre.LITERAL:
        return chr(arg)
    if op is sre.RANGE:
        return chr(arg[0])
    if op is sre.CATEGORY:
        return {sre.CATEGORY_DIGIT: "0", sre.CATEGORY_SPACE: " "}.get(arg, "x")
    raise ValueError(f"cannot generate a character for {op}")


def _describe(items: list) -> list[str]:
    parts = []
    for op, arg in items:
        if op is sre.LITERAL:
            parts.append(re.escape(chr(arg)))
        elif op is sre.RANGE:
            parts.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is sre.CATEGORY:
            parts.append({sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s"}.get(arg, r"\w"))
    return parts
