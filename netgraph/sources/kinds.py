"""The kinds of interaction netgraph knows: what a file may say, and what the store holds.

Plain constants with no imports, so the tie SQL (which lists the stored kinds) can read them
without loading the readers.
"""

from __future__ import annotations

__all__ = ["INTERACTION_KINDS", "STORED_KINDS"]

#: The kinds an interactions file may give (any case; a missing kind is ``other``).
INTERACTION_KINDS = ("meeting", "call", "email", "message", "event", "other")

#: Every kind of interaction the store holds, in the order the tie table lists them: the kinds a
#: file may give (:data:`INTERACTION_KINDS`) and LinkedIn's "connected".
STORED_KINDS = ("call", "connected", "email", "event", "meeting", "message", "other")
