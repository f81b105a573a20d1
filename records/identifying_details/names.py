"""Personal names: token rules (listed names, context cues) and patterns (titles, initials)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from records.identifying_details.findings import Finding
from records.identifying_details.wordlists import (
    AMBIGUOUS_NAMES,
    CONCERN_WORDS,
    CUE_WORDS,
    DETERMINERS,
    KIN_WORDS,
    LOWER_PLACE_ORG_WORDS,
    MONTH_WORDS,
    NOT_INITIALS,
    OBJECT_VERBS,
    PERSON_VERBS,
    PLACE_ORG_WORDS,
    SPEECH_VERBS,
    STOP_WORDS,
    TALK_VERBS,
    TITLES,
    first_names,
    lower_names,
    word_like_lower_names,
    words,
)

_TOKEN_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019\-](?=[^\W\d_]))*")
_FOLLOWING_WORD_RE = re.compile(r"(?:['\u2019]s)? ([A-Z][a-z]+)")
# "Ifeanyi, who is 13" / "Kacey, 17," / "Marcus, aged 16": an apposition only people get.
_PERSON_APPOSITION_RE = re.compile(r",\s+(?:who\b|aged\b|\d{1,2}\s*(?:,|\)|years?\b|yrs?\b))")


# Verbs after a lower-case word-like name that make it a person ("grace said", "will has been").
# Modals are left out: "will", "may" and "can" are followed by verbs all the time.
_LOWER_PERSON_VERBS: frozenset[str] = PERSON_VERBS - words(
    "will would can could cannot did does didn't doesn't isn't wasn't hasn't hadn't won't can't"
)
# Verbs whose object is a person, for lower-case text: "staff overheard summer telling...".
_LOWER_OBJECT_VERBS: frozenset[str] = OBJECT_VERBS | words("overheard noticed spotted watched")
# Nicknames follow a cue: "known as 'smithy'", "mum calls him bubba", "nicknamed Tiny".
_NICKNAME_RE = re.compile(
    r"\b(?:known\s+as|nicknamed|goes\s+by|(?:calls?|called|calling)\s+(?:him|her|them)(?:self)?)"
    r"\s+(?:['\"\u2018\u201c]([^'\"\u2019\u201d\n]{1,25})['\"\u2019\u201d]"
    r"|([^\W\d_][\w\-]*(?:\s[^\W\d_](?![\w\-]))?))",
    re.I,
)
_LOWER_TITLE_RE = re.compile(
    r"\b(?:mr|mrs|ms|mx)\.?(?:\s+(?:and|&)\s+(?:mr|mrs|ms|mx)\.?)?\s+([a-z][\w'\u2019\-]+|[a-z]\.(?!\w))"
)
# Words before a month that keep it a month: "in may", "by june", "since april".
_TIME_PREPOSITIONS: frozenset[str] = words(
    "in on by since until till during from before after early late mid end of last next this"
)
# Second halves of double first names that are not names on their own: "ruby-mae", "poppy-mai".
_NAME_ENDINGS: frozenset[str] = words("mae mai may jo leigh lee lou rae jay ann anne marie louise")
# Words that follow "called him" and the like but are no nickname: "called her back".
_NOT_NICKNAMES: frozenset[str] = words("names name back up out over round later everything")


@dataclass(frozen=True)
class _Token:
    word: str  # without a trailing possessive 's
    start: int
    end: int  # end of ``word``
    possessive: bool
    full_end: int  # end including the possessive


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN_RE.finditer(text):
        word = m.group(0)
        possessive = False
        if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS":
            word = word[:-2]
            possessive = True
        tokens.append(_Token(word, m.start(), m.start() + len(word), possessive, m.end()))
    return tokens


def _is_cap(word: str) -> bool:
    """Title case ('Amelia', 'O'Connor', 'Ruby-Mae'), not all-caps acronyms ('DSL')."""
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    return all(part[:1].isupper() for part in word.split("-") if part)


def _is_name_word(word: str) -> bool:
    """Is ``word`` (or the first part of a capitalised hyphenated word) a listed first name?"""
    names = first_names()
    if word in names:
        return True
    return "-" in word and _is_cap(word) and word.split("-")[0] in names


def _stop(word: str) -> bool:
    lowered = word.lower()
    return lowered in STOP_WORDS or lowered.replace("\u2019", "").replace("'", "") in STOP_WORDS


def _ordinary_cap(word: str) -> bool:
    """Capitalised and not known professional or function vocabulary."""
    return _is_cap(word) and not _stop(word) and word not in PLACE_ORG_WORDS


class _NameFinder:
    """Token-level name rules. Each rule adds (start, end, message) spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.spans: list[tuple[int, int, str]] = []

    # -- helpers --------------------------------------------------------------------------

    def tok(self, i: int) -> _Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def gap(self, i: int) -> str:
        """Characters between token i-1 and token i ('' before the first token)."""
        if i <= 0:
            return self.text[: self.tokens[0].start] if self.tokens else ""
        return self.text[self.tokens[i - 1].full_end : self.tokens[i].start]

    def joined(self, i: int) -> bool:
        """Token i follows token i-1 after a single space (same phrase)."""
        return i > 0 and self.gap(i) == " "

    def next_lower(self, i: int, vocabulary: frozenset[str]) -> bool:
        nxt = self.tok(i + 1)
        return (
            nxt is not None
            and self.joined(i + 1)
            and nxt.word.islower()
            and nxt.word in vocabulary
            and not self.tokens[i].possessive
        )

    def sentence_initial(self, i: int) -> bool:
        gap = self.gap(i)
        if i == 0:
            return True
        prev = self.tokens[i - 1]
        if gap.strip() == "." and len(prev.word) == 1:
            return False  # "J. Smith": the full stop ends an initial, not a sentence
        return bool(re.search(r"[.!?:;\"\u201c\u2018'(\[\n\u2022\u2013\u2014-]\s*$", gap))

    def add(self, start: int, end: int, message: str) -> None:
        """Record a name span, unless it is the start of an organisation's or place's name
        ("Anna Freud Centre", "Paul Hamlyn Foundation", "Florence Nightingale Ward")."""
        following = _FOLLOWING_WORD_RE.match(self.text, end)
        if following and following.group(1) in PLACE_ORG_WORDS:
            return
        self.spans.append((start, end, message))

    def extend(self, i: int) -> int:
        """End of a name starting at token i, taking up to two surnames and an initial."""
        tokens = self.tokens
        end = tokens[i].end
        j = i
        while j + 1 < len(tokens) and j - i < 2 and not tokens[j].possessive:
            nxt = tokens[j + 1]
            if not self.joined(j + 1):
                break
            if len(nxt.word) == 1 and nxt.word.isupper():  # "Ollie P." / "Harrison B"
                has_dot = self.text[nxt.end : nxt.end + 1] == "."
                return nxt.end + (1 if has_dot else 0)
            if not _ordinary_cap(nxt.word):
                break
            if nxt.word in AMBIGUOUS_NAMES:
                break
            end = nxt.end
            j += 1
        return end

    def person_context(self, i: int, strict: bool) -> bool:
        """Is token i used like a person? ``strict`` for word-like names (Grace, May)."""
        tok = self.tokens[i]
        nxt = self.tok(i + 1)
        if tok.possessive:
            return not strict or (nxt is not None and self.joined(i + 1) and nxt.word in KIN_WORDS)
        if nxt is None or not self.joined(i + 1):
            return False
        if strict and tok.word in MONTH_WORDS:
            # "May is busy" / "June was": months need a surname or a possessive.
            return _ordinary_cap(nxt.word) and not _is_name_word(nxt.word)
        if nxt.word.islower() and nxt.word in PERSON_VERBS:
            return True
        if nxt.word == "and" and not strict:
            after = self.tok(i + 2)
            return (
                after is not None
                and self.joined(i + 2)
                and _is_name_word(after.word)
                and after.word not in AMBIGUOUS_NAMES
            )
        return _ordinary_cap(nxt.word)

    # -- rules ----------------------------------------------------------------------------

    def run(self) -> list[tuple[int, int, str]]:
        for i in range(len(self.tokens)):
            self.token_rules(i)
        self.pattern_rules()
        return self.spans

    def token_rules(self, i: int) -> None:
        tok = self.tokens[i]
        word = tok.word
        prev = self.tok(i - 1)
        nxt = self.tok(i + 1)
        if prev is not None and prev.word in {"St", "Saint"} and self.joined(i):
            return  # St Joseph's, St Mary's
        if nxt is not None and self.joined(i + 1) and nxt.word in PLACE_ORG_WORDS:
            return  # Victoria Park, Grace Academy, Brook Traffic Light Tool

        listed = _is_name_word(word)
        wordlike = word in AMBIGUOUS_NAMES or (listed and _stop(word))

        # 1. After a cue: "the pupil, Oluwaseun," / "her brother Kyle" / "known as Tj".
        if prev is not None and _is_cap(word) and (not _stop(word) or wordlike):
            cue = prev.word.lower() in CUE_WORDS and not prev.possessive
            before_prev = self.tok(i - 2)
            if before_prev is not None and prev.word.lower() == "as":
                cue = cue or before_prev.word.lower() in {"known", "referred", "called"}
            if before_prev is not None and prev.word.lower() == "is":
                cue = cue or before_prev.word.lower() == "name"
            if cue and re.fullmatch(r"[\s,:(]{1,3}", self.gap(i)):
                self.add(tok.start, self.extend(i), "Name after a word like pupil or brother")
                return

        # 2. A listed first name; word-like names need person context.
        if (
            _is_cap(word)
            and (listed or word in AMBIGUOUS_NAMES)
            and (not wordlike or self.person_context(i, strict=True))
        ):
            self.add(tok.start, self.extend(i), "Looks like a personal name")
            return

        # 3. A lower-case name: "tyler", "ellie-mae"; word-like ones need context ("grace said").
        if word.islower():
            self.lower_name_rule(i)
            return

        if not _ordinary_cap(word) or word in AMBIGUOUS_NAMES:
            return
        initial = self.sentence_initial(i)
        prev_cap = prev is not None and self.joined(i) and _is_cap(prev.word)

        # 4. "Name's mum" / "Chen Wei's mother": possessive followed by a family word.
        if tok.possessive and nxt is not None and self.joined(i + 1) and nxt.word in KIN_WORDS:
            start = tok.start
            if prev is not None and prev_cap and not _stop(prev.word) and not prev.possessive:
                start = prev.start
            self.add(start, tok.end, "Looks like a personal name")
            return

        # 5. Unlisted capitalised word used as a person: "Kwabena said", "Teo told his",
        #    "Maddox and his mum", mid-sentence "... Thandiwe has stopped".
        if not prev_cap:
            after = self.tok(i + 2)
            if self.next_lower(i, SPEECH_VERBS) or _PERSON_APPOSITION_RE.match(
                self.text, tok.full_end
            ):
                self.add(tok.start, tok.end, "Capitalised word used like a person's name")
                return
            if (
                nxt is not None
                and after is not None
                and nxt.word in {"and", "with"}
                and after.word in {"his", "her"}
                and self.joined(i + 1)
                and self.joined(i + 2)
            ):
                self.add(tok.start, tok.end, "Capitalised word used like a person's name")
                return
            if not initial and self.next_lower(
                i, PERSON_VERBS - {"will", "would", "can", "could", "cannot", "did", "does"}
            ):
                self.add(tok.start, tok.end, "Capitalised word used like a person's name")
                return

        # 6. Object of a verb about people: "the EWO visited Lucja", "spoke to Aryan".
        if not initial and prev is not None and self.joined(i) and prev.word.islower():
            before_prev = self.tok(i - 2)
            talk = (
                prev.word in {"to", "with"}
                and before_prev is not None
                and before_prev.word in TALK_VERBS
            )
            if prev.word in OBJECT_VERBS or talk:
                next_is_org = nxt is not None and self.joined(i + 1) and _is_cap(nxt.word)
                if not next_is_org or _ordinary_cap(nxt.word):
                    self.add(tok.start, self.extend(i), "Capitalised word used like a name")

    def lower_person_context(self, i: int) -> bool:
        """Is lower-case token i used like a person? For names that are also words."""
        tok = self.tokens[i]
        prev = self.tok(i - 1)
        nxt = self.tok(i + 1)
        joined_next = nxt is not None and self.joined(i + 1)
        if (
            prev is not None
            and self.joined(i)
            and (prev.word.lower() in DETERMINERS or prev.possessive)
        ):
            return False  # "the hope", "a real will", "the school's summer"
        if tok.possessive:
            return nxt is not None and joined_next and nxt.word in KIN_WORDS
        if (
            tok.word.capitalize() in MONTH_WORDS
            and prev is not None
            and prev.word.lower() in _TIME_PREPOSITIONS
        ):
            return False  # "in may, 3 years on", "by june"
        if _PERSON_APPOSITION_RE.match(self.text, tok.full_end):
            return True  # "may, who is in year 3"
        if nxt is not None and joined_next:
            if self.lower_initial(i + 1) or nxt.word in _LOWER_PERSON_VERBS:
                return True
            after = self.tok(i + 2)
            if (
                nxt.word in {"and", "with"}
                and after is not None
                and self.joined(i + 2)
                and after.word in {"his", "her"}
            ):
                return True
        if prev is not None and re.fullmatch(r",? |\s?\(", self.gap(i)):
            before = self.tok(i - 2)
            lowered = prev.word.lower()
            if lowered in CUE_WORDS or lowered in _LOWER_OBJECT_VERBS:
                return True
            if (
                lowered in {"about", "with", "to", "for"}
                and before is not None
                and before.word.lower() in CONCERN_WORDS | TALK_VERBS
            ):
                return True
        return False

    def lower_initial(self, i: int) -> bool:
        """Token i is a lone lower-case letter used as an initial ("josh b"), not "a" or "i"."""
        tok = self.tok(i)
        return (
            tok is not None
            and len(tok.word) == 1
            and tok.word not in {"a", "i"}
            and not re.match(r"[\w\-/]", self.text[tok.full_end : tok.full_end + 1])
        )

    def lower_place_follows(self, i: int) -> bool:
        """A place or organisation word one or two words on: "anna freud centre"."""
        for j in (i + 1, i + 2):
            tok = self.tok(j)
            if tok is None or not self.joined(j) or self.tokens[j - 1].possessive:
                return False
            if tok.word in LOWER_PLACE_ORG_WORDS:
                return True
        return False

    def lower_unlisted_rule(self, i: int) -> None:
        """An unlisted lower-case word used like a person: "nikolai said", "kenzo's absence".

        Only speech verbs and a possessive before a family or welfare word count, and never
        after a determiner ("the report said", "the school's attendance").
        """
        tok = self.tokens[i]
        word = tok.word
        nxt = self.tok(i + 1)
        # Cheapest test first: almost every lower-case word fails it.
        if nxt is None or not (
            (tok.possessive and nxt.word in KIN_WORDS)
            or (not tok.possessive and nxt.word in SPEECH_VERBS)
        ):
            return
        if len(word) < 3 or _stop(word) or word in DETERMINERS or "-" in word:
            return
        prev = self.tok(i - 1)
        if prev is not None and (prev.word.lower() in DETERMINERS or prev.possessive):
            return
        if not self.joined(i + 1) or self.lower_place_follows(i):
            return
        self.spans.append((tok.start, tok.end, "Lower-case word used like a person's name"))

    def lower_name_rule(self, i: int) -> None:
        """Names typed in lower case: listed names as they stand, word-like ones in context.

        Listed names that are not everyday words ("tyler", "oliwia", "ellie-mae") are flagged
        wherever they appear, except as part of a place ("harvey road", "st luke's"). Names
        that are also words ("grace", "will", "rose", "poppy") need person-like context.
        """
        tok = self.tokens[i]
        word = tok.word
        word_like = word_like_lower_names()
        # Word-like names are names too, even those only in AMBIGUOUS_NAMES ("may", "june").
        names = lower_names()
        parts = word.split("-")
        if len(parts) > 1:
            # "ellie-mae", "alfie-james"; not "rose-tinted" or "mark-making".
            first_is_name = parts[0] in names and parts[0] not in word_like
            rest_are_names = all(p in names or p in _NAME_ENDINGS for p in parts[1:])
            if not (first_is_name or (parts[0] in names and rest_are_names)):
                return
        else:
            if word not in names:
                self.lower_unlisted_rule(i)
                return
            if len(word) < 3:
                return
            needs_context = word in word_like or _stop(word)
            if needs_context and not self.lower_person_context(i):
                return
        prev = self.tok(i - 1)
        if prev is not None and prev.word.lower() in {"st", "saint"} and self.joined(i):
            return  # "st mary's"
        if self.lower_place_follows(i):
            return  # "harvey road", "anna freud centre"
        end = tok.end
        if not tok.possessive and self.lower_initial(i + 1) and self.joined(i + 1):
            end = self.tokens[i + 1].end
        self.spans.append((tok.start, end, "Looks like a personal name (lower case)"))

    def pattern_rules(self) -> None:
        text = self.text
        # Nicknames after a cue: "known as 'smithy'", "calls him bubba".
        for m in _NICKNAME_RE.finditer(text):
            group = 1 if m.group(1) is not None else 2
            value = m.group(group).strip()
            if not value or value.lower() in STOP_WORDS or value.lower() in _NOT_NICKNAMES:
                continue
            start = m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip()))
            self.spans.append((start, start + len(value), "Nickname after a word like known as"))
        # Titles: "Mrs Patel", "Mr and Mrs Okafor", "Mrs. Begum-Ali".
        for m in re.finditer(
            rf"\b{TITLES}\.?(?:\s+(?:and|&)\s+{TITLES}\.?)?\s+([A-Z][\w'\u2019\-]+|[A-Z]\.?(?!\w))",
            text,
        ):
            surname = re.sub(r"['\u2019]s$", "", m.group(1))
            if not _stop(surname):
                self.add(m.start(), m.start(1) + len(surname), "Title and surname")
        # Initial and surname: "J. Smith".
        for m in re.finditer(r"(?<![\w.])([A-Z])\.\s?([A-Z][a-z][\w'\u2019\-]*)", text):
            surname = re.sub(r"['\u2019]s$", "", m.group(2))
            if _ordinary_cap(surname):
                self.add(m.start(), m.start(2) + len(surname), "Initial and surname")
        # Titles in lower case: "mrs patel", "mr and mrs okafor", "ms o'neill". "miss" is left
        # out: in lower case it is mostly the verb ("miss lessons").
        for m in _LOWER_TITLE_RE.finditer(text):
            surname = re.sub(r"['\u2019]s$", "", m.group(1))
            if not _stop(surname):
                self.spans.append((m.start(), m.start(1) + len(surname), "Title and surname"))
        # Dotted initials on their own: "A.J. has not been in", "a.j. has".
        for m in re.finditer(r"(?<![\w.])(?:[A-Za-z]\.){2,3}(?![\w])", text):
            if m.group(0).upper() not in NOT_INITIALS:
                self.add(m.start(), m.end(), "Initials of a person")
        # Surname with family words: "the Kowalski family", "the Nguyen children".
        for m in re.finditer(
            r"\b[Tt]he\s+([A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+)?)\s+"
            r"(?:family|families|children|household|siblings|twins|boys|girls|brothers|sisters)\b",
            text,
        ):
            if all(_ordinary_cap(w) for w in m.group(1).split()):
                self.add(m.start(1), m.end(1), "Looks like a family surname")


def find_names(text: str) -> Iterator[Finding]:
    for start, end, message in _NameFinder(text).run():
        yield Finding("name", start, end, text[start:end], message)
