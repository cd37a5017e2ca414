"""The events service's read side: lists, single reads, the dashboard and the indicators, each on
a reading session (one snapshot: a list and its count agree) and answering with the views of
`views.py`. Nothing here decides or changes anything; the workflows are the feature modules.

* `activities.py`: an activity, the activity lists (also a venue's), the organiser's roster;
* `registrations.py`: a person's registrations, each with its waitlist place;
* `venues.py`: a venue, the venue list;
* `stories.py`: a story, the column and the moderation queue, a person's own stories;
* `circle.py`: the 15-minute circle's slots, slot bookings, clubs, outreach and counselling;
* `dashboard.py`: a person's "my dashboard" items;
* `indicators.py`: the service's monitoring figures (监测评估) for a period.

The service class calls them as `queries.<name>`.
"""

from .activities import get_activity, list_activities, roster, venue_activities
from .circle import (
    counselling_of,
    counselling_queue,
    get_club,
    get_counselling,
    get_outreach,
    list_clubs,
    list_outreach,
    slot_bookings_of,
    venue_slots,
)
from .dashboard import dashboard_items
from .indicators import indicator_figures
from .registrations import get_registration, registrations_of
from .stories import get_story, list_stories, stories_of
from .venues import get_venue, list_venues

__all__ = [
    "counselling_of",
    "counselling_queue",
    "get_club",
    "get_counselling",
    "get_outreach",
    "list_clubs",
    "list_outreach",
    "slot_bookings_of",
    "venue_slots",
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
