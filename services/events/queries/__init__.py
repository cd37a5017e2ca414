"""The events service's read side: lists, single reads, the dashboard and the indicators, each on
a reading session (one snapshot: a list and its count agree) and answering with the views of
`views.py`. Nothing here decides or changes anything; the workflows are the feature modules.

* `activities.py`: an activity, the activity lists (also a venue's), the organiser's roster;
* `registrations.py`: a person's registrations, each with its waitlist place;
* `venues.py`: a venue, the venue list;
* `stories.py`: a story, the column and the moderation queue, a person's own stories;
* `dashboard.py`: a person's "my dashboard" items;
* `indicators.py`: the service's monitoring figures (监测评估) for a period.

The service class calls them as `queries.<name>`.
"""

from .activities import get_activity, list_activities, roster, venue_activities
from .dashboard import dashboard_items
from .indicators import indicator_figures
from .registrations import get_registration, registrations_of
from .stories import get_story, list_stories, stories_of
from .venues import get_venue, list_venues

__all__ = [
    "dashboard_items",
    "get_activity",
    "get_registration",
    "get_story",
    "get_venue",
    "indicator_figures",
    "list_activities",
    "list_stories",
    "list_venues",
    "registrations_of",
    "roster",
    "stories_of",
    "venue_activities",
]
