"""Simple conditions ("show B when A has answer X"): parsing, checking, evaluating, wording.

A condition is stored as JSON:

* a test: ``{"q": "name", "op": "=", "value": "x"}`` with ``op`` one of ``=``, ``!=``, ``>``,
  ``>=``, ``<``, ``<=``, ``selected``, ``not_selected``; ``value`` is a string (a choice name,
  a number written out, or ``""`` for "has no answer");
* a combination: ``{"all": [...]}`` (and) or ``{"any": [...]}`` (or).

The XLSForm ``relevant`` forms understood (``parse``): ``${q} = 'x'``, ``${q} != 'x'``,
comparisons with numbers (``${q} >= 4``), ``selected(${q}, 'x')``, ``not(...)``, ``and``,
``or`` and parentheses. Anything else is refused with a French message (never guessed).

The same rules are evaluated here (server, authoritative) and in ``static/surveys/answer.js``
(progressive enhancement on the answer page).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

OPS = ("=", "!=", ">", ">=", "<", "<=", "selected", "not_selected")
COMPARISONS = (">", ">=", "<", "<=")
NEGATION = {
    "=": "!=",
    "!=": "=",
    ">": "<=",
    "<=": ">",
    "<": ">=",
    ">=": "<",
    "selected": "not_selected",
    "not_selected": "selected",
}
MAX_DEPTH = 8
MAX_LENGTH = 1000


class ConditionError(ValueError):
    """A condition that cannot be understood or does not fit the questionnaire (French)."""


# --------------------------------------------------------------------------- parsing

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refname>[^}\s]*)\s*\})
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op>!=|>=|<=|=|>|<)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        if kind == "ref" or kind == "refname":
            tokens.append(("ref", match.group("refname")))
        elif kind == "string":
            tokens.append(("string", match.group("string")[1:-1]))
        elif kind == "other":
            raise ConditionError(
                _("Caractère inattendu « %(char)s » dans la condition.")
                % {"char": match.group("other")}
            )
        else:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self, offset=0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None:
            raise ConditionError(_("La condition se termine trop tôt."))
        if (kind and token[0] != kind) or (value and token[1].lower() != value):
            expected = value or kind
            raise ConditionError(
                _("« %(expected)s » attendu, « %(found)s » trouvé dans la condition.")
                % {"expected": expected, "found": token[1]}
            )
        self.i += 1
        return token

    def parse(self) -> dict:
        if not self.tokens:
            raise ConditionError(_("La condition est vide."))
        node = self.expression(0)
        if self.i != len(self.tokens):
            raise ConditionError(
                _("Texte inattendu « %(found)s » dans la condition.") % {"found": self.peek()[1]}
            )
        return node

    def expression(self, depth):
        if depth > MAX_DEPTH:
            raise ConditionError(_("La condition est trop imbriquée."))
        terms = [self.conjunction(depth)]
        while self.peek()[0] == "word" and self.peek()[1].lower() == "or":
            self.i += 1
            terms.append(self.conjunction(depth))
        return terms[0] if len(terms) == 1 else {"any": terms}

    def conjunction(self, depth):
        terms = [self.unary(depth)]
        while self.peek()[0] == "word" and self.peek()[1].lower() == "and":
            self.i += 1
            terms.append(self.unary(depth))
        return terms[0] if len(terms) == 1 else {"all": terms}

    def unary(self, depth):
        kind, value = self.peek()
        if kind == "word" and value.lower() == "not" and self.peek(1) == ("punct", "("):
            self.i += 2
            node = self.expression(depth + 1)
            self.close()
            return negate(node)
        if kind == "punct" and value == "(":
            self.i += 1
            node = self.expression(depth + 1)
            self.close()
            return node
        if kind == "word" and value.lower() == "selected":
            self.i += 1
            if self.take("punct")[1] != "(":
                raise ConditionError(_("Parenthèse ouvrante attendue après selected."))
            ref = self.take("ref")[1]
            comma = self.take("punct")
            if comma[1] != ",":
                raise ConditionError(_("Virgule attendue dans selected(…)."))
            literal = self.literal()
            self.close()
            return {"q": _ref_name(ref), "op": "selected", "value": literal}
        if kind == "ref":
            self.i += 1
            op = self.take("op")[1]
            literal = self.literal()
            return {"q": _ref_name(value), "op": op, "value": literal}
        if kind == "word":
            raise ConditionError(
                _(
                    "La fonction ou le mot « %(word)s » n'est pas pris en charge dans les conditions."
                )
                % {"word": value}
            )
        if kind is None:
            raise ConditionError(_("La condition se termine trop tôt."))
        raise ConditionError(
            _("Une condition commence par ${question} ou selected(…), pas par « %(found)s ».")
            % {"found": value}
        )

    def close(self):
        kind, value = self.peek()
        if (kind, value) != ("punct", ")"):
            raise ConditionError(_("Parenthèse fermante attendue dans la condition."))
        self.i += 1

    def literal(self) -> str:
        kind, value = self.peek()
        if kind in ("string", "number"):
            self.i += 1
            return value
        raise ConditionError(
            _("Une valeur entre apostrophes ou un nombre est attendu, « %(found)s » trouvé.")
            % {"found": value or ""}
        )


def _ref_name(name: str) -> str:
    if not name or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", name):
        raise ConditionError(_("Référence de question invalide : ${%(name)s}.") % {"name": name})
    return name


def parse(text: str) -> dict:
    """An XLSForm ``relevant`` expression → a condition (``ConditionError`` when not supported)."""
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        raise ConditionError(_("La condition est trop longue."))
    return _Parser(text).parse()


def negate(node: dict) -> dict:
    if "all" in node:
        return {"any": [negate(n) for n in node["all"]]}
    if "any" in node:
        return {"all": [negate(n) for n in node["any"]]}
    return {**node, "op": NEGATION[node["op"]]}


def conjoin(*nodes) -> dict | None:
    """``a and b`` (None terms are left out); None when there is nothing to combine."""
    terms = []
    for node in nodes:
        if not node:
            continue
        terms.extend(node["all"] if "all" in node else [node])
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else {"all": terms}


def leaves(node: dict | None):
    if not node:
        return
    if "all" in node or "any" in node:
        for child in node.get("all") or node.get("any"):
            yield from leaves(child)
    else:
        yield node


def referenced_names(node: dict | None) -> set[str]:
    return {leaf["q"] for leaf in leaves(node)}


# --------------------------------------------------------------------------- checking


def _as_number(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def check(node: dict | None, earlier: dict) -> None:
    """Refuse a condition that names a question not asked before, or a value it cannot take.

    ``earlier``: name → (kind, set of choice names) of the questions placed before.
    """
    from .models import CHOICE_KINDS, QuestionKind

    if not node:
        return
    if not isinstance(node, dict):
        raise ConditionError(_("Condition illisible."))
    for leaf in leaves(node):
        if set(leaf) != {"q", "op", "value"} or leaf["op"] not in OPS:
            raise ConditionError(_("Condition illisible."))
        name, op, value = leaf["q"], leaf["op"], str(leaf["value"])
        if name not in earlier:
            raise ConditionError(
                _(
                    "La condition porte sur « %(name)s », qui n'est pas une question posée "
                    "avant celle-ci."
                )
                % {"name": name}
            )
        kind, choices = earlier[name]
        if value == "" and op in ("=", "!="):
            continue
        if kind in CHOICE_KINDS:
            if op in COMPARISONS:
                raise ConditionError(
                    _("« %(name)s » est une question à choix : comparez-la avec = ou selected().")
                    % {"name": name}
                )
            if value not in choices:
                raise ConditionError(
                    _("« %(value)s » n'est pas un choix de la question « %(name)s ».")
                    % {"value": value, "name": name}
                )
        elif kind in (QuestionKind.RATING, QuestionKind.NUMBER):
            if op in ("selected", "not_selected") and kind == QuestionKind.NUMBER:
                raise ConditionError(
                    _("selected() ne s'applique qu'aux questions à choix (« %(name)s »).")
                    % {"name": name}
                )
            if _as_number(value) is None:
                raise ConditionError(
                    _("« %(name)s » attend un nombre, pas « %(value)s ».")
                    % {"name": name, "value": value}
                )
            if kind == QuestionKind.RATING and op not in COMPARISONS and value not in choices:
                raise ConditionError(
                    _("« %(value)s » n'est pas un choix de la question « %(name)s ».")
                    % {"value": value, "name": name}
                )
        elif op not in ("=", "!="):
            raise ConditionError(
                _("Une question de texte (« %(name)s ») se compare avec = ou != seulement.")
                % {"name": name}
            )


# --------------------------------------------------------------------------- evaluating


def _test(leaf: dict, answer) -> bool:
    op, value = leaf["op"], str(leaf["value"])
    empty = answer is None or answer == "" or answer == set() or answer == []
    if value == "" and op in ("=", "!="):
        return empty if op == "=" else not empty
    if empty:
        return op in ("!=", "not_selected")
    if isinstance(answer, (set, frozenset, list, tuple)):
        chosen = {str(a) for a in answer}
        if op == "selected":
            return value in chosen
        if op == "not_selected":
            return value not in chosen
        if op == "=":
            return chosen == {value}
        if op == "!=":
            return chosen != {value}
        return False
    if op in COMPARISONS:
        left, right = _as_number(answer), _as_number(value)
        if left is None or right is None:
            return False
        return {
            ">": left > right,
            ">=": left >= right,
            "<": left < right,
            "<=": left <= right,
        }[op]
    left_number, right_number = _as_number(answer), _as_number(value)
    if left_number is not None and right_number is not None:
        same = left_number == right_number
    else:
        same = str(answer) == value
    if op in ("=", "selected"):
        return same
    return not same  # "!=", "not_selected"


def evaluate(node: dict | None, answers: dict) -> bool:
    """Whether the condition holds for ``answers`` (name → choice name, set of names, number,
    text, or None when unanswered). No condition: always."""
    if not node:
        return True
    if "all" in node:
        return all(evaluate(n, answers) for n in node["all"])
    if "any" in node:
        return any(evaluate(n, answers) for n in node["any"])
    return _test(node, answers.get(node["q"]))


# --------------------------------------------------------------------------- wording


def _quote(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


def to_xlsform(node: dict | None, *, nested: bool = False) -> str:
    """A condition → the XLSForm ``relevant`` text (``parse`` reads it back)."""
    if not node:
        return ""
    for key, word in (("all", " and "), ("any", " or ")):
        if key in node:
            text = word.join(to_xlsform(n, nested=True) for n in node[key])
            return f"({text})" if nested else text
    name, op, value = node["q"], node["op"], str(node["value"])
    literal = value if _as_number(value) is not None and op in COMPARISONS else _quote(value)
    if op == "selected":
        return f"selected(${{{name}}}, {_quote(value)})"
    if op == "not_selected":
        return f"not(selected(${{{name}}}, {_quote(value)}))"
    return f"${{{name}}} {op} {literal}"


def describe(node: dict | None, questions: dict) -> str:
    """In words, in the active language: « la question 3 (« … ») est « Oui » ».

    ``questions``: name → object with ``number`` (its place), ``label`` and ``choice_labels``
    (choice name → label).
    """
    if not node:
        return ""
    if "all" in node:
        return _(" et ").join(describe(n, questions) for n in node["all"])
    if "any" in node:
        parts = [describe(n, questions) for n in node["any"]]
        return "(" + _(" ou ").join(parts) + ")" if len(parts) > 1 else parts[0]
    q = questions.get(node["q"])
    value = str(node["value"])
    if q is None:
        subject = f"« {node['q']} »"
        shown = value
    else:
        subject = _("à la question %(number)s (« %(label)s »)") % {
            "number": q.number,
            "label": q.label,
        }
        shown = q.choice_labels.get(value, value)
    op = node["op"]
    if value == "" and op == "=":
        return _("vous n'avez pas répondu %(subject)s") % {"subject": subject}
    if value == "" and op == "!=":
        return _("vous avez répondu %(subject)s") % {"subject": subject}
    templates = {
        "=": _("vous avez répondu « %(value)s » %(subject)s"),
        "selected": _("vous avez coché « %(value)s » %(subject)s"),
        "!=": _("vous n'avez pas répondu « %(value)s » %(subject)s"),
        "not_selected": _("vous n'avez pas coché « %(value)s » %(subject)s"),
        ">": _("vous avez répondu plus de %(value)s %(subject)s"),
        ">=": _("vous avez répondu %(value)s ou plus %(subject)s"),
        "<": _("vous avez répondu moins de %(value)s %(subject)s"),
        "<=": _("vous avez répondu %(value)s ou moins %(subject)s"),
    }
    return templates[op] % {"value": shown, "subject": subject}
