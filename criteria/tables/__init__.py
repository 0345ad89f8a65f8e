"""Criteria tables as provinces publish them (.xlsx, .docx): import into a rubric, export back."""

from .exporter import rule_cell, table_bytes
from .importer import ImportOptions, ImportResult, defaults_from_name, import_table
from .report import ImportReport
from .save import export_to_file, import_to_file

__all__ = ["ImportOptions", "ImportReport", "ImportResult", "defaults_from_name", "export_to_file", "import_table", "import_to_file", "rule_cell",
           "table_bytes"]
