"""Personal data: finding it in answer files, pseudonymizing participant codes, and the
small-group suppression every report output goes through.
"""

from ._identifiers import (KEY_ENV, fuzzy_matches, identifier_table, load_key, personal_kind, pseudonym_array,
                           pseudonymize, read_approved_pairs, warn_personal)
from ._suppress import FLAG, MIN_GROUP_SIZE, find_suppressed, hidden_from, suppress

__all__ = [
    "FLAG", "KEY_ENV", "MIN_GROUP_SIZE", "find_suppressed", "fuzzy_matches", "hidden_from", "identifier_table",
    "load_key", "personal_kind", "pseudonym_array", "pseudonymize", "read_approved_pairs", "suppress",
    "warn_personal",
]
