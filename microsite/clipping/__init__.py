"""Import's reading of one news clipping: a seed's bytes to an ``ArticleDraft``. Pure.

A seed is a news article copied out of a web page as plain text. Around the story it
carries what the page had around it: navigation, a dateline, time stamps, a deck,
photo captions with their credits, embedded posts, comment forms, teasers for other
stories, copyright lines. ``parse_seed`` reads the text as a sequence of units (one
paragraph or one stand-alone line each), finds the header (headline, deck, date,
dateline) among the first units, classifies the rest, and writes the story as Markdown.

Libraries do what they are made for: ftfy repairs text decoded twice, py3langid names
the language, dateparser reads dates in that language. The rules here are about the
shape of news pages (where a headline sits, what a credit looks like); a few residue
patterns name the furniture of one family of sites met in real copies (Reuters' trust
line, AFP's "///" update note, uCoz sidebars, Lenta's story teasers).

The package has one module per step: decoding, units (and language), dates,
captions (and posts), residue, datelines, the header, the body, titles; reader's
``parse_seed`` runs them in turn. words and markdown hold what they share.

Measured on tests/import_corpus (``python tests/score_import.py``) and, outside the
project, on samples of real pages: see the notes of issue 12 for the figures.
"""

from .captions import caption_of, credit_alone
from .datelines import Dateline, split_dateline
from .dates import find_date, parse_date_prefix
from .decoding import decode_seed, repair_mojibake
from .markdown import escape_markdown
from .reader import parse_seed
from .residue import DEFAULT_RESIDUE
from .state import ArticleDraft, Unit
from .titles import is_truncated, summary_from_lede, title_from_lede
from .units import detect_language, split_units

__all__ = [
    "DEFAULT_RESIDUE", "ArticleDraft", "Dateline", "Unit", "caption_of", "credit_alone", "decode_seed",
    "detect_language", "escape_markdown", "find_date", "is_truncated", "parse_date_prefix", "parse_seed",
    "repair_mojibake", "split_dateline", "split_units", "summary_from_lede", "title_from_lede",
]
