"""Field forms from the questionnaire and back: XLSForm export (KoboToolbox, ODK) and
import, the printable paper test and the Excel entry template for typing paper answers.
"""

from ._common import SCALES_SHEET, WAVE_QUESTION
from ._paper import BOX, TICKED, allowed_text, entry_template, printable_test
from ._xlsform import LANGUAGE_NAMES, to_xlsform
from ._xlsform_import import from_xlsform, write_questionnaire_yaml

__all__ = [
    "BOX", "LANGUAGE_NAMES", "SCALES_SHEET", "TICKED", "WAVE_QUESTION", "allowed_text", "entry_template",
    "from_xlsform", "printable_test", "to_xlsform", "write_questionnaire_yaml",
]
