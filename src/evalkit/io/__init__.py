"""Reading answer files: CSV/XLSX/Parquet as field teams have them, recognising the headers
of Kobo, ODK and Google Forms exports (or a mapping file), and validating every cell into
:class:`Responses`, with every row accounted for.
"""

from ._batch import read_parquet_batch
from ._files import escape_formulas, read_table, write_table
from ._headers import NONE_CHOSEN, load_mapping, read_labels, resolve_columns, text_key
from ._responses import (MISSING_TOKENS, SYSTEM_COLUMNS, Responses, as_responses, read_responses,
                         validate_responses)

__all__ = [
    "MISSING_TOKENS", "NONE_CHOSEN", "SYSTEM_COLUMNS", "Responses", "as_responses", "escape_formulas", "load_mapping",
    "read_labels", "read_parquet_batch", "read_responses", "read_table", "resolve_columns", "text_key",
    "validate_responses", "write_table",
]
