"""Names both halves of :mod:`evalkit.forms` use: the export writes them, the import reads them back.

Kept apart so that the export and the import do not import each other.
"""

WAVE_QUESTION = "gelombang"
SCALES_SHEET = "evalkit_scales"
