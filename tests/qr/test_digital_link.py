"""The Digital Link parser beyond GS1's vectors: what the resolver reads from a parsed link."""

from __future__ import annotations

import pytest

from qr.digital_link import DigitalLinkError, parse, parse_path

GTIN = "09520123456788"


def test_key_qualifiers_attributes_and_other_parameters():
    link = parse(f"https://registry.example/01/{GTIN}/10/DH%2F2511/21/S-1?17=261231&linkType=gs1:pip")
    assert link.key == ("01", GTIN)
    assert link.qualifiers == (("10", "DH/2511"), ("21", "S-1"))
    assert link.attributes == (("17", "261231"),)
    assert link.params == {"linkType": "gs1:pip"}
    assert (link.value("10"), link.value("21"), link.value("22")) == ("DH/2511", "S-1", None)
    assert link.element_string() == f"^01{GTIN}10DH/2511^21S-1^17261231"


@pytest.mark.parametrize(
    ("path", "query", "why"),
    [
        (f"/01/{GTIN}/21/S1/10/L1", "", "primary key"),  # qualifiers out of order: no reading fits
        (f"/01/{GTIN}/10/L1", "10=L2", "twice"),
        (f"/01/{GTIN}", "21=S1", "belongs in the path"),
        (f"/01/{GTIN}/10/L%001", "", "control"),
        (f"/01/{GTIN}/10/L 1", "", "not allowed"),
        (f"/01/{GTIN[:-1]}9", "", "check digit"),
        (f"/01/{GTIN}/10/{'X' * 21}", "", "does not fit"),
        (f"/01/{GTIN}/", "", "empty"),
    ],
)
def test_refusals_say_why(path, query, why):
    with pytest.raises(DigitalLinkError, match=why):
        parse_path(path, query)


def test_a_qualifier_of_another_branch_may_be_an_attribute():
    """01 has two qualifier paths, 22/10/21 and 235: after /235/ a lot can only be a data attribute."""
    link = parse_path(f"/01/{GTIN}/235/XYZ", "10=ABC")
    assert link.qualifiers == (("235", "XYZ"),) and link.attributes == (("10", "ABC"),)


def test_the_label_fast_path_agrees_with_the_parser():
    """parse_label answers only for the plain label shape, and then exactly as parse_path does; anything else it
    leaves to parse_path (which refuses what is wrong)."""
    from qr.digital_link import parse_label

    cases = [
        "/01/09520123456788/10/ABC123", "/01/09520123456788/10/DH-2511-001", "/01/09520123456788/10/A!b'c(d)*+,.:;=",
        "/01/09520123456788/10/a!b\"c",
        "/01/09520123456789/10/ABC", "/01/0952012345678/10/ABC", "/01/09520123456788/10/" + "A" * 21,
        "/01/09520123456788/10/A B", "/01/09520123456788/10/A%2FB", "/01/09520123456788/10/A^B",
        "/01/09520123456788/10/A~B", "/01/09520123456788/10/ABC/21/1", "/01/09520123456788/10/",
        "/x/01/09520123456788/10/ABC", "/01/0952012345678X/10/ABC", "/01/09520123456788/10/A<B",
    ]  # fmt: skip
    fast_ones = 0
    for path in cases:
        fast = parse_label(path)
        try:
            full = parse_path(path)
        except DigitalLinkError:
            full = None
        if fast is not None:
            fast_ones += 1
            assert fast == full, path
    assert fast_ones == 3  # the three well-formed labels without percent-encoding
    assert parse_label("/01/09520123456788/10/ABC123", "linkType=all") is None  # a query: the parser's job
