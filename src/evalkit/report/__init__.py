"""The report: the tables that leave (suppressed, no codes), the data charts draw from, the
draft's content as blocks, its rendering to Word and HTML, and the report folder.
"""

from ._data import FLOW_STAGES, item_correct, likert_distribution, pairs, participant_flow
from ._folder import escape_formulas, write_report, write_table, write_workbook
from ._info import Person, ReportInfo, load_report_info
from ._tables import report_tables
from ._verdict import criteria_table, default_criteria

__all__ = [
    "FLOW_STAGES", "Person", "ReportInfo", "criteria_table", "default_criteria", "escape_formulas", "item_correct",
    "likert_distribution", "load_report_info", "pairs", "participant_flow", "report_tables", "write_report",
    "write_table", "write_workbook",
]
