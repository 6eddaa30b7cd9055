"""The report: the tables that leave (suppressed, no codes), the data charts draw from, the
draft's content as blocks, its rendering to Word and HTML, the report folder, and the result
package a roll-up reads (``paket_hasil.json``).
"""

from ._content import Block
from ._data import FLOW_STAGES, item_correct, likert_distribution, pairs, participant_flow
from ._folder import escape_formulas, write_report, write_table, write_workbook
from ._document import OUTLINE
from ._info import Person, ReportInfo, load_report_info
from ._outline import Section, insert_section, render_outline
from ._package import (ResultPackage, build_package, fingerprint_note, package_from_analysis, read_package,
                       write_package)
from ._render import write_docx, write_html
from ._tables import report_tables
from ._verdict import criteria_table, default_criteria

__all__ = [
    "Block", "FLOW_STAGES", "OUTLINE", "Person", "ReportInfo", "ResultPackage", "Section", "build_package",
    "criteria_table", "default_criteria", "escape_formulas", "fingerprint_note", "insert_section", "item_correct",
    "likert_distribution", "load_report_info", "package_from_analysis", "pairs", "participant_flow", "read_package",
    "render_outline", "report_tables", "write_docx", "write_html", "write_package", "write_report", "write_table",
    "write_workbook",
]
