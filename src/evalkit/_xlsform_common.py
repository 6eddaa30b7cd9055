"""Names both halves of :mod:`evalkit.xlsform` use: the export writes them, the import reads them back.

Kept apart so that :mod:`evalkit.xlsform` can re-export :mod:`evalkit.xlsform_import`
without an import cycle.
"""

WAVE_QUESTION = "gelombang"
SCALES_SHEET = "evalkit_scales"
