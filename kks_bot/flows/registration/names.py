"""The states of a registration in progress (``Conversation.flow``)."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    CONSENT = "consent"  # the family's consent, before anything is stored
    DRAFTS = "drafts"  # open drafts: go on with one, or start anew
    FORM = "form"  # walking the aanmeldformulier
    REVIEW = "review"  # check and send
    EDIT = "edit"  # what to change in a section
    GROUPEDIT = "groupedit"  # the items of a group (children, professionals)
    CANCEL = "cancel"  # "really delete the draft?"
