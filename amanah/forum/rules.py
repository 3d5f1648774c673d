"""The forum's rules as tables and pure functions: who moderates and who answers for an agency, the states of
a topic and a post and the moves between them, and the checks of the text a citizen types.

Sources: no regulation says how a public forum works; these are the platform's own choices for the public
discussion of DESIGN.md (capability 5). The moderators are the complaint managers because PermenPANRB
62/2018 (Pedoman Pengelolaan Pengaduan Pelayanan Publik, see REGULATIONS.md §1) already gives them what the
public sends an agency; that is our reading, not a rule of the regulation. A post asks no name, e-mail or
address and nothing identifying a citizen is stored (DESIGN.md: citizens read and write without an account).
The lengths below are the platform's. docs/forum.md describes them.
"""

from __future__ import annotations

import re

from amanah.core.rules import gettext_noop

# --- Roles -----------------------------------------------------------------------------------------------

#: Roles that publish, hide and lock topics and posts of their agency (the platform admin always may). The
#: complaint managers already handle what the public sends an agency.
MODERATE_ROLES = frozenset({"pengelola"})

#: Roles whose replies are the agency's official answer ("Jawaban resmi"): those who answer complaints.
ANSWER_ROLES = frozenset({"pengelola", "operator", "unit"})

# --- States ----------------------------------------------------------------------------------------------

PENDING, PUBLISHED, HIDDEN, LOCKED = "pending", "published", "hidden", "locked"

#: The states the public reads: a locked topic stays readable, it only takes no new citizen replies.
PUBLIC_TOPIC_STATES = frozenset({PUBLISHED, LOCKED})

#: A moderator's action on a topic → (the states it may start from, the state it leads to).
TOPIC_ACTIONS = {
    "publish": (frozenset({PENDING, HIDDEN, LOCKED}), PUBLISHED),
    "hide": (frozenset({PENDING, PUBLISHED, LOCKED}), HIDDEN),
    "lock": (frozenset({PUBLISHED}), LOCKED),
}

#: The same for a reply (a reply is never locked).
POST_ACTIONS = {
    "publish": (frozenset({PENDING, HIDDEN}), PUBLISHED),
    "hide": (frozenset({PENDING, PUBLISHED}), HIDDEN),
}


def next_state(actions: dict, action: str, current: str) -> str | None:
    """The state ``action`` leads to from ``current``; None when that move is not allowed (or unknown)."""
    sources, target = actions.get(action, (frozenset(), None))
    return target if current in sources else None


def takes_citizen_replies(topic_status: str) -> bool:
    """Citizens reply only to a published topic (not to one still held, hidden or locked)."""
    return topic_status == PUBLISHED


def takes_official_answers(topic_status: str) -> bool:
    """Staff answer a topic the public can read, also a locked one (a last answer before closing)."""
    return topic_status in PUBLIC_TOPIC_STATES


# --- Text ------------------------------------------------------------------------------------------------

TITLE_MAX = 200
BODY_MAX = 5000
NAME_MAX = 60
REASON_MAX = 500

#: The name shown for a citizen who gave none.
ANONYMOUS_NAME = gettext_noop("Warga")

_MARKUP = re.compile(r"</?[a-zA-Z!?]|javascript\s*:|on[a-z]+\s*=\s*[\"']", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def contains_markup(text: str) -> bool:
    """True when ``text`` holds HTML tags or script. It is refused with a specific message rather than
    stripped in silence, so the person sees what to change and nothing they wrote is lost."""
    return bool(_MARKUP.search(text or ""))


def contains_control(text: str) -> bool:
    """True when ``text`` holds invisible control characters (other than tab and line breaks)."""
    return bool(_CONTROL.search(text or ""))


def text_problem(text: str, max_length: int, *, required: bool = True) -> str | None:
    """What is wrong with a typed text, as a code: ``required``, ``too_long``, ``markup``,
    ``control_character``; None when it is acceptable. ``text`` is already stripped."""
    if not text:
        return "required" if required else None
    if len(text) > max_length:
        return "too_long"
    if contains_markup(text):
        return "markup"
    if contains_control(text):
        return "control_character"
    return None
