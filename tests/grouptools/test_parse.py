"""Tests of the presentation / word parser and printer (grouptools.presentations._parse)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grouptools._errors import PresentationSyntaxError
from grouptools.presentations._parse import (
    MAX_DEPTH,
    MAX_EXPONENT,
    Presentation,
    format_word,
    free_reduce,
    parse_presentation,
    parse_word,
)

# -- helpers: free-group arithmetic written out by definition ----------------------------------


def inv(w):
    return tuple(-x for x in reversed(w))


def mul(*ws):
    out = []
    for w in ws:
        for x in w:
            if out and out[-1] == -x:
                out.pop()
            else:
                out.append(x)
    return tuple(out)


def comm(x, y):
    return mul(inv(x), inv(y), x, y)


def power(w, k):
    return mul(*([w] * k)) if k >= 0 else mul(*([inv(w)] * -k))


names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,4}", fullmatch=True)


@st.composite
def presentations(draw):
    gens = draw(st.lists(names, min_size=0, max_size=4, unique=True))
    k = len(gens)
    if k == 0:
        rels = draw(st.lists(st.just(()), max_size=2))
    else:
        letters = st.sampled_from([s for i in range(1, k + 1) for s in (i, -i)])
        rels = draw(st.lists(st.lists(letters, max_size=12), max_size=5))
    return Presentation(tuple(gens), tuple(tuple(r) for r in rels))


@st.composite
def words(draw, k=3, max_size=8):
    letters = st.sampled_from([s for i in range(1, k + 1) for s in (i, -i)])
    return free_reduce(draw(st.lists(letters, max_size=max_size)))


GENS = ("a", "b", "c")


def fmt(w):
    return format_word(w, GENS)


# -- round trip ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(presentations())
def test_round_trip(p):
    assert parse_presentation(str(p)) == p


@given(words(), st.sampled_from([("a", "b", "c"), ("F1", "F2", "F3"), ("x_1", "Y", "zz9")]))
def test_format_parse_word_round_trip(w, gens):
    assert parse_word(format_word(w, gens), gens) == w


def test_str_examples():
    p = parse_presentation("<a,b|a^4,b^2,(a*b)^2>")
    assert str(p) == "<a, b | a^4, b^2, (a*b)^2>"
    assert str(parse_presentation("<a,b|a*b*a^-1>")) == "<a, b | a*b*a^-1>"
    assert str(parse_presentation("<a,b|>")) == "<a, b | >"
    assert str(parse_presentation("< | >")) == "< | >"
    assert str(parse_presentation("<a | 1, a^-3>")) == "<a | 1, a^-3>"


def test_format_word():
    assert format_word([1, 1, -2, 1], ["a", "b"]) == "a^2*b^-1*a"
    assert format_word([], ["a"]) == "1"
    assert format_word([1, -1], ["a"]) == "1"  # reduced first
    assert format_word([-1, -1, -1], ["F1"]) == "F1^-3"
    with pytest.raises(PresentationSyntaxError):
        format_word([3], ["a", "b"])
    with pytest.raises(PresentationSyntaxError):
        format_word([0], ["a"])


# -- free reduction ------------------------------------------------------------------------------


@given(st.lists(st.sampled_from([1, -1, 2, -2, 3, -3]), max_size=30))
def test_free_reduce_properties(w):
    r = free_reduce(w)
    assert all(r[i] != -r[i + 1] for i in range(len(r) - 1))
    assert free_reduce(r) == r
    assert free_reduce(list(w) + list(inv(w))) == ()
    # exponent sums are invariants of free reduction
    for g in (1, 2, 3):
        assert sum((x == g) - (x == -g) for x in w) == sum((x == g) - (x == -g) for x in r)


def test_free_reduce_examples():
    assert free_reduce([1, 2, -2, -1, 1, 1]) == (1, 1)
    assert free_reduce([1, 2, -1]) == (1, 2, -1)
    with pytest.raises(PresentationSyntaxError):
        free_reduce([1, 0])
    with pytest.raises(PresentationSyntaxError):
        free_reduce([1.5])


# -- the word grammar against definitions ------------------------------------------------------


@given(words(), words())
def test_commutator_by_definition(x, y):
    assert parse_word(f"[{fmt(x)}, {fmt(y)}]", GENS) == comm(x, y)
    assert parse_word(f"[({fmt(x)}),({fmt(y)})]", GENS) == comm(x, y)


@given(words(), words(), words())
def test_triple_commutator_is_left_normed(x, y, z):
    assert parse_word(f"[{fmt(x)}, {fmt(y)}, {fmt(z)}]", GENS) == comm(comm(x, y), z)
    assert parse_word(f"[[{fmt(x)}, {fmt(y)}], {fmt(z)}]", GENS) == comm(comm(x, y), z)


@given(words(), words())
def test_conjugation_by_definition(x, y):
    assert parse_word(f"({fmt(x)})^({fmt(y)})", GENS) == mul(inv(y), x, y)


@given(words(), st.integers(-6, 6))
def test_power_by_definition(x, k):
    assert parse_word(f"({fmt(x)})^{k}", GENS) == power(x, k)
    assert parse_word(f"({fmt(x)}) ^ {k}".replace("-", "- "), GENS) == power(x, k)


def test_conjugate_by_generator_and_commutator():
    a, b = (1,), (2,)
    assert parse_word("a^b", GENS) == (-2, 1, 2)
    assert parse_word("a^[a,b]", GENS) == mul(inv(comm(a, b)), a, comm(a, b))
    assert parse_word("(a*b)^b", GENS) == mul(inv(b), a, b, b)


def test_identity_forms():
    forms = ["1", "<identity>", "<identity ...>", "a*a^-1", "1^5", "(1)^-1", "a^0", "[a, a]", " 1 "]
    for text in forms:
        assert parse_word(text, GENS) == ()
    assert parse_word("1*a*1", GENS) == (1,)


def test_gap_printed_words():
    gens = ["F1", "F2"]
    assert parse_word("F1^2*F2^-1*F1", gens) == (1, 1, -2, 1)
    # GAP breaks long lines with a backslash before the newline
    assert parse_word("F1^2*F2^-1*\\\nF1*F2", gens) == (1, 1, -2, 1, 2)
    assert parse_word("F1^2*F2^-1*\\\r\nF1", gens) == (1, 1, -2, 1)
    p = parse_presentation("<F1, F2 | F1^2, F2^3, (F1*F2)^5>")
    assert p.relators == ((1, 1), (2, 2, 2), (1, 2) * 5)


def test_whitespace_anywhere():
    p = parse_presentation(" <\n a ,\tb |  a ^ -2 , b ^ 3 , [ a , b ] , ( a * b ) ^ 2 >  ")
    assert p == parse_presentation("<a,b|a^-2,b^3,[a,b],(a*b)^2>")
    assert p.relators[0] == (-1, -1)


def test_relations_u_equals_v():
    p = parse_presentation("<a, b | a^b = a^2, b^3 = 1, a = a>")
    assert p.relators == (mul((-2, 1, 2), (-1, -1)), (2, 2, 2), ())
    q = parse_presentation("<x, y | x*y = y*x>")
    assert q.relators == (mul((1, 2), (-1, -2)),)


def test_empty_relator_lists():
    for text in ["<a,b | >", "<a,b|>", "<a, b|\n>"]:
        assert parse_presentation(text) == Presentation(("a", "b"), ())
    assert parse_presentation("<|>") == Presentation((), ())
    assert parse_presentation("< | 1>") == Presentation((), ((),))


def test_names():
    p = parse_presentation("<x_1, Y2, zZ | x_1*Y2^-1*zZ>")
    assert p.generators == ("x_1", "Y2", "zZ")
    assert p.relators == ((1, -2, 3),)


# -- errors ------------------------------------------------------------------------------------


def error_of(text, parse=parse_presentation):
    with pytest.raises(PresentationSyntaxError) as info:
        parse(text)
    err = info.value
    assert err.text == text
    assert 0 <= err.position <= len(text)
    return err


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("<a,b | a^2, c>", 12),  # unknown generator: points at it
        ("<a, a | a>", 4),  # duplicate generator
        ("<a | a b>", 7),  # juxtaposition is not a product
        ("<a | a^>", 7),
        ("<a | (a>", 7),
        ("<a | [a]>", 7),
        ("<a | a^2^3>", 8),  # ambiguous repeated ^
        ("<a | a^-b>", 8),
        ("<a | a>b", 7),
        ("a, b | a", 0),
        ("<a | 2>", 5),
        ("<1 | >", 1),
        ("<a | <a>", 5),
        ("", 0),
    ],
)
def test_error_positions(text, position):
    assert error_of(text).position == position


def test_unknown_generator_in_word():
    err = error_of("a*bb*a", lambda t: parse_word(t, ["a", "b"]))
    assert err.position == 2
    assert "bb" in str(err)


def test_limits():
    error_of(f"<a | a^{MAX_EXPONENT + 1}>")
    assert parse_presentation(f"<a | a^{MAX_EXPONENT}>").relators[0] == (1,) * MAX_EXPONENT
    error_of("<a | a^" + "9" * 5000 + ">")  # huge integer literal
    deep = "(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5)
    error_of(f"<a | {deep}>")
    ok = "(" * (MAX_DEPTH - 1) + "a" + ")" * (MAX_DEPTH - 1)
    assert parse_presentation(f"<a | {ok}>").relators == ((1,),)
    nested = "[" * 30 + "a,b" + ",b]" * 29
    error_of(f"<a, b | {nested}>")  # doubling length: 2^30 letters
    error_of("<a | a^1000000, a^1000000>")  # total length
    error_of("<a,b | (a*b)^600000>")
    with pytest.raises(PresentationSyntaxError):
        parse_word("a^20", ["a"], max_length=10)
    # expansions that cancel again still cost work: bounded too
    many = "*".join(["(b^1000*b^-1000)"] * 40)
    with pytest.raises(PresentationSyntaxError, match="expansion too large"):
        parse_presentation(f"<b | {many}>", max_length=1000)
    assert parse_presentation(f"<b | {many}>", max_length=10**5).relators == ((),)


def test_deep_nesting_many_kinds_never_recursion_error():
    for opener, closer in [("(", ")"), ("[", ",a]"), ("a^(", ")")]:
        text = "<a | " + opener * 5000 + "a" + closer * 5000 + ">"
        assert "nesting deeper" in str(error_of(text))


def test_presentation_validation():
    with pytest.raises(PresentationSyntaxError):
        Presentation(("a", "a"), ())
    with pytest.raises(PresentationSyntaxError):
        Presentation(("1a",), ())
    with pytest.raises(PresentationSyntaxError):
        Presentation(("a",), ((2,),))
    with pytest.raises(PresentationSyntaxError):
        Presentation(("a",), "a")
    with pytest.raises(PresentationSyntaxError):
        Presentation("ab", ())
    p = Presentation(["a", "b"], [[1, 2, -2], (1, 1)])
    assert p.relators == ((1,), (1, 1)) and p.generators == ("a", "b")
    assert hash(p) == hash(Presentation(("a", "b"), ((1,), (1, 1))))


def test_non_str_input():
    with pytest.raises(PresentationSyntaxError):
        parse_presentation(b"<a|a>")  # type: ignore[arg-type]
    with pytest.raises(PresentationSyntaxError):
        parse_word(None, ["a"])  # type: ignore[arg-type]


# -- fuzzing: parse or PresentationSyntaxError, nothing else ----------------------------------

GRAMMAR = list("<>|,=*^-+()[] 1203abcF\n\\_") + ["<identity>", "a^", "[a,b]", "^-1", "F1"]


def check_parses_or_syntax_error(parse, text):
    try:
        parse(text)
    except PresentationSyntaxError as err:
        assert err.text == text
        assert 0 <= err.position <= len(text)
        assert str(err)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_fuzz_arbitrary_text(text):
    check_parses_or_syntax_error(parse_presentation, text)
    check_parses_or_syntax_error(lambda t: parse_word(t, ["a", "b", "F1"]), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(GRAMMAR), max_size=40).map("".join))
def test_fuzz_grammar_tokens(text):
    check_parses_or_syntax_error(parse_presentation, "<a,b,F1|" + text + ">")
    check_parses_or_syntax_error(parse_presentation, text)
    check_parses_or_syntax_error(lambda t: parse_word(t, ["a", "b", "F1"]), text)


def test_chained_relations():
    from grouptools.presentations._parse import parse_presentation as pp

    p = pp("<a, b | a^2 = b^3 = (a*b)^5 = 1>")
    assert p == pp("<a, b | a^2, b^3, (a*b)^5>")
    q = pp("<a, b | a^2 = b^3 = (a*b)^5>")  # a chain of equal words: pairwise quotients
    assert q.relators == pp("<a, b | a^2*b^-3, b^3*(a*b)^-5>").relators
    assert pp("<a | a = 1>") == pp("<a | a>")


# -- issue 10: messages quote at most 80 characters of the input -----------------------------------
@pytest.mark.parametrize("text", [
    "<a,b | " + "a*" * 50_000 + "c>",  # error at the end
    "<a,b | c*" + "a*" * 50_000 + "a>",  # error at the start
    "<a,b | " + "a*" * 25_000 + "c*" + "a*" * 25_000 + "a>",  # error in the middle
    "<a | " + "(" * 5000 + "a" + ")" * 5000 + ">",  # nesting
    "<a |\n" + "a,\n" * 30_000 + "b>",  # many lines
    "<" + "g" * 100_000 + " | >x",  # long generator name, error after it
    "<a | " + "b" * 100_000 + ">",  # long unknown generator
])
def test_error_messages_are_bounded(text):
    err = error_of(text)
    msg = str(err)
    assert len(msg) < 300 and "\n" not in msg and "<here>" in msg
    # the window around the position is what is shown
    assert msg.count("...") <= 3
    before, after = msg.split("<here>")
    escaped = text.replace("\n", "\\n")  # newlines are shown escaped: one line
    head = text[: err.position].replace("\n", "\\n")
    assert escaped[len(head):].startswith(after.removesuffix("..."))
    assert head.endswith(before.split(f"at position {err.position}: ", 1)[1].removeprefix("..."))


def test_unknown_generator_name_is_quoted_bounded():
    err = error_of("a*" + "b" * 10_000, lambda t: parse_word(t, ["a"]))
    assert err.position == 2 and len(str(err)) < 300 and "bbbb" in str(err)
