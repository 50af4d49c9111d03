"""The parser version stamped on every report (reports.parser_version).

Its own module so the templates (cci.py, yjs.py, hmip.py) and the registry that imports them
(templates.py) all take it from here, with no import running in a circle.
"""

PARSER_VERSION = "cci-parser 1.0"
