"""The merge rules as pure functions: no database, no network."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from intake_app.forms import load_intake_form
from intake_app.sync.merge import Decision, check_change, decide, merge_entry_lists, merged_version


def test_a_change_on_the_servers_version_applies_and_any_other_base_conflicts() -> None:
    common = {"already_seen": False, "is_entry_list": False}
    assert decide(server_has_row=True, server_version="v1", base_version="v1", **common) is Decision.APPLY
    assert decide(server_has_row=False, server_version=None, base_version=None, **common) is Decision.APPLY
    # Nothing on the server to overwrite: the first value applies whatever it was based on.
    assert decide(server_has_row=False, server_version=None, base_version="v0", **common) is Decision.APPLY
    assert decide(server_has_row=True, server_version="v2", base_version="v1", **common) is Decision.CONFLICT
    assert decide(server_has_row=True, server_version="v2", base_version=None, **common) is Decision.CONFLICT
    assert decide(server_has_row=True, server_version="v2", base_version="v1", already_seen=False,
                  is_entry_list=True) is Decision.MERGE
    assert decide(server_has_row=True, server_version="v2", base_version="v1", already_seen=True,
                  is_entry_list=False) is Decision.DUPLICATE


def test_entry_lists_merge_as_a_union_in_order_minus_removals() -> None:
    assert merge_entry_lists([], ["a"], ["b"]) == ["b", "a"]
    assert merge_entry_lists(["a"], ["a", "b"], ["a", "c"]) == ["a", "c", "b"]
    assert merge_entry_lists(["a", "b"], ["b"], ["a", "b", "c"]) == ["b", "c"]  # a removed on one side
    assert merge_entry_lists(["a", "b"], ["b", "a"], ["a", "b"]) == ["b", "a"]  # the server's order stays


lists = st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8)


@given(lists, lists, lists)
def test_a_merged_list_keeps_every_entry_added_and_drops_every_entry_removed(
    base: list[str], ours: list[str], theirs: list[str]
) -> None:
    merged = merge_entry_lists(base, ours, theirs)
    assert len(merged) == len(set(merged))
    for item in set(ours) | set(theirs):
        removed = item in base and (item not in ours or item not in theirs)
        assert (item in merged) != removed
    assert [item for item in ours if item in merged] == [item for item in merged if item in ours]


@given(lists, lists)
def test_merging_with_itself_or_with_nothing_new_changes_nothing(base: list[str], ours: list[str]) -> None:
    assert merge_entry_lists(base, ours, ours) == ours
    assert merge_entry_lists(ours, ours, ours) == ours


def test_a_merged_version_sorts_after_both() -> None:
    a, b = "001700000000000-00003-aaaa", "001700000000001-00000-bbbb"
    merged = merged_version(a, b, "merge7")
    assert merged > a and merged > b and merged.endswith("-merge7")
    assert merged_version(None, "001700000000000-99999-x", "m") == "001700000000001-00000-m"


def test_changes_are_checked_against_the_questionnaire() -> None:
    form = load_intake_form()
    assert check_change(form, "given_names", "", "Meron") is None
    assert check_change(form, "given_names", "", None) is None  # a removal of any answer
    assert check_change(form, "household_size", "", 3) is None
    assert check_change(form, "educations", "", ["e1"]) is None
    assert check_change(form, "education_years", "e1", 4) is None
    assert "onbekende vraag" in (check_change(form, "shoe_size", "", 42) or "")
    assert "verkeerd soort" in (check_change(form, "household_size", "", 2.5) or "")
    assert "verkeerd soort" in (check_change(form, "educations", "", "e1") or "")
    assert "herhaalgroep" in (check_change(form, "education_years", "", 4) or "")
