"""Keyword terms: Chinese written without spaces is found by any part of it."""

from services.jobs.search import (
    keywords,
    lookup_term,
    needs_containment_check,
    searchable_text,
    terms_of,
)


def test_chinese_runs_are_indexed_by_their_character_pairs():
    assert terms_of("文旅讲解见习") == {"文旅", "旅讲", "讲解", "解见", "见习"}


def test_a_two_character_keyword_inside_a_longer_run_is_found():
    post_terms = terms_of(searchable_text("景区文旅讲解见习岗", "XX文旅发展有限公司"))
    assert lookup_term("见习") in post_terms
    assert lookup_term("文旅讲解") in post_terms
    assert lookup_term("实习") not in post_terms


def test_a_long_keyword_is_looked_up_by_its_last_term():
    assert lookup_term("旅游实习") == "实习"
    assert lookup_term("设计UI") == "ui"


def test_latin_words_and_full_width_forms_are_whole_lower_case_terms():
    assert terms_of("ＵＩ设计师 Python3") == {"ui", "设计", "计师", "python3"}
    assert lookup_term("PYTHON3") == "python3"


def test_no_pair_spans_two_fields():
    assert "岗x" not in terms_of(searchable_text("讲解岗", "XX公司"))
    assert "岗公" not in terms_of(searchable_text("讲解岗", "公司"))


def test_a_single_character_has_no_lookup_term_and_is_matched_by_containment_only():
    assert lookup_term("厨") is None
    assert lookup_term("！") is None


def test_keywords_are_split_on_spaces_of_either_width_and_capped():
    assert keywords("  旅游\u3000实习 ") == ["旅游", "实习"]
    assert keywords("") == [] and keywords(None) == []
    assert len(keywords("a b c d e f g")) == 5


def test_one_term_proves_containment_only_for_a_character_pair_or_a_word():
    assert not needs_containment_check("见习")
    assert not needs_containment_check("Python")
    assert needs_containment_check("文旅讲解")
    assert needs_containment_check("ui设计")
    assert needs_containment_check("厨")
    assert needs_containment_check("c++")
