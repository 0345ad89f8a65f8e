"""The shipped Word templates (``nd30.docx``) and the script that builds them (``build.py``)."""
