"""Fingerprints: stable across runs, blind to wording, sensitive to what decides a score."""

from __future__ import annotations

import dataclasses

import pytest

import evalkit
from evalkit.questionnaire import fingerprint


def _edit_item(q, item_id, **changes):
    items = tuple(dataclasses.replace(i, **changes) if i.id == item_id else i for i in q.items)
    return dataclasses.replace(q, items=items)


def test_fingerprints_of_the_bundled_questionnaire_are_pinned(q):
    # Literals from this implementation at its introduction: a change means every earlier
    # result package stops pooling with new ones, so it must be deliberate.
    # Changed deliberately (issue 16): the `tindakan` scale gained the four Kanwil actions
    # (t05-t08); every other scale's fingerprint is as before ("354b7a68f26af8e7" until then).
    assert fingerprint(q) == "16f294b59bac0545"
    assert fingerprint(q, scale="tindakan") == "3974f058d03e70fb"
    assert fingerprint(q, scale="pengetahuan") == "c7bec29c88a6109e"
    assert fingerprint(q, scale="sikap") == "e55b4cf1ccbdaf07"


def test_wording_translations_and_version_do_not_change_it(q):
    edited = _edit_item(q, "k01", text={"id": "Teks baru", "en": "New text"})
    edited = dataclasses.replace(edited, version="9.9", title={"id": "x", "en": "x"})
    assert fingerprint(edited) == fingerprint(q)
    assert fingerprint(edited, scale="pengetahuan") == fingerprint(q, scale="pengetahuan")


@pytest.mark.parametrize("item_id, changes", [
    ("k01", {"key": ("a",)}),            # re-keyed
    ("s01", {"reverse": True}),          # reversed
    ("s01", {"points": 4}),              # another Likert range
])
def test_scoring_content_changes_the_scale_and_only_that_scale(q, item_id, changes):
    edited = _edit_item(q, item_id, **changes)
    scale = q.item(item_id).scale
    assert fingerprint(edited, scale=scale) != fingerprint(q, scale=scale)
    assert fingerprint(edited) != fingerprint(q)
    others = [s.id for s in q.scales if s.id != scale]
    assert [fingerprint(edited, scale=s) for s in others] == [fingerprint(q, scale=s) for s in others]


def test_removing_an_item_or_changing_the_rule_changes_it(q):
    fewer = dataclasses.replace(q, items=tuple(i for i in q.items if i.id != "k01"))
    assert fingerprint(fewer, scale="pengetahuan") != fingerprint(q, scale="pengetahuan")
    scales = tuple(dataclasses.replace(s, scoring="sum") if s.id == "sikap" else s for s in q.scales)
    assert fingerprint(dataclasses.replace(q, scales=scales), scale="sikap") != fingerprint(q, scale="sikap")


def test_unknown_scale_is_named(q):
    with pytest.raises(evalkit.EvalkitError, match="EK-QN-032"):
        fingerprint(q, scale="sikapp")
