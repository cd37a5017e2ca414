"""The jobs service's read side: lists, searches, single records as their readers may see them,
the dashboard and the indicators, each on a reading session (one snapshot, no locks).

A query answers rows (or a `Page` of them); `views.py` shapes them into the answer. Who may see
a record is decided here with the domain's rules (`domain.check_owner_or_officer`, …), so that
someone else's record is a 404 exactly as in the handlers.

* `employers.py`: an employer's own record, the officers' verification queue, practice units;
* `posts.py`: a post as its reader may see it, its history, the search, an employer's posts,
  the review queue;
* `applications.py`: applications with their history, by person, by post, one by id;
* `traineeships.py`, `subsidies.py`: traineeships and subsidy claims, each reader's own;
* `cooperation.py`: universities, cooperation projects with their milestones and outcomes,
  roadshows with the employers that joined, a practice unit's placements;
* `fairs.py`: open fairs, a fair with its booths, a person's registrations;
* `figures.py`: a person's dashboard items and the plan's indicators.
"""

from . import (
    applications,
    cooperation,
    employers,
    fairs,
    figures,
    posts,
    subsidies,
    traineeships,
)

__all__ = [
    "applications",
    "cooperation",
    "employers",
    "fairs",
    "figures",
    "posts",
    "subsidies",
    "traineeships",
]
