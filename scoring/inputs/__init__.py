"""Evidence files in: YAML for one unit, CSV or XLSX wide tables for many, and the filled
self-assessment workbook — each ends in ``scoring.evidence.validate_frame``."""
