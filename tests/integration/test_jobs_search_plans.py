"""Search uses an index for a Chinese keyword, for every filter and for every sort: shown by the
databases' own plans over a few thousand seeded posts (after ANALYZE, as in production)."""

from __future__ import annotations

import pytest

from services.jobs.contract import PostSearch
from services.jobs.queries.posts import search_statement
from tests.support.jobs import explain, seed_posts

POSTS = 5000


def plan(url: str, dialect: str, **query) -> str:
    statement, order = search_statement(PostSearch().load(query), dialect)
    statement = statement.order_by(
        *[column.desc() if descending else column.asc() for column, descending in order]
    ).limit(21)
    return explain(url, statement)


#: query → the index PostgreSQL walks (or looks up) for it
POSTGRES_PLANS = [
    ({"keyword": "讲解"}, ("ix_post_newest", "post_term")),
    ({"kind": "traineeship"}, ("ix_post_kind",)),
    ({"area": "北门街道"}, ("ix_post_area",)),
    ({"industry": "hospitality"}, ("ix_post_industry",)),
    ({"education": "junior_high"}, ("ix_post_education",)),  # few posts ask so little
    ({"salary_min": 9000, "sort": "salary"}, ("ix_post_salary",)),
    ({"salary_max": 1500}, ("ix_post_salary_floor",)),  # nobody starts that low
    ({}, ("ix_post_newest",)),
    # the benchmark's shape: a Chinese keyword and two filters
    ({"keyword": "文旅", "kind": "traineeship", "education": "bachelor"}, ("ix_post_kind",)),
]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgresql_plans_use_an_index_for_the_keyword_every_filter_and_every_sort(databases):
    url = databases.migrated("services.jobs")
    assert seed_posts(url, POSTS) == POSTS
    for query, indexes in POSTGRES_PLANS:
        text = plan(url, "postgresql", **query)
        assert "Seq Scan" not in text, (query, text)
        for index in indexes:
            assert index in text, (query, text)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_plans_search_an_index_and_look_keywords_up_by_their_term_key(databases):
    url = databases.migrated("services.jobs")
    seed_posts(url, POSTS)
    for query, _ in POSTGRES_PLANS:
        text = plan(url, "sqlite", **query)
        # SQLite keeps to the index that gives the order for range filters (it has no histogram
        # to know they are selective); it never scans the table
        assert "SCAN post" not in text.replace("SCAN post_term", ""), (query, text)
        assert "SEARCH post USING INDEX" in text, (query, text)
        if "keyword" in query:
            assert "SEARCH post_term USING PRIMARY KEY" in text, (query, text)
