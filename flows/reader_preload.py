"""Loaded once by the forkserver that starts the reader processes (flows/isolate.py).

Reader children (and the annotator child) are forked from that server; whatever the server has
not loaded, every child loads again for itself. Besides the modules, that is the English word
list the de-hyphenation consults (~0.1 s, a quarter of reading a report) and both report
templates.
Then `gc.freeze()`: the collector in each child leaves all of this alone instead of walking
it, which would also copy every page it touches out of the memory shared with the server
(~20 % of a child's time otherwise).
"""

import gc

from extract import hyphenation, pdfium_source, reader  # noqa: F401
from transform import cci, templates, yjs  # noqa: F401

hyphenation.english_words()
gc.freeze()
