"""Rule-based Italian NLP for the `normalize` stage (no models, nothing downloaded).

- `sentences`: Italian-aware sentence splitting of blocks, length-preserving quote normalization.
- `entities`: name finding (alias table + capitalized runs + role phrases) and rule-based linking.
- `quotes`: quotations and reported statements with their cue and speaker.
- `italian`, `times`, `quantities`, `anomalies`, `pubdate`: lexicon, time expressions,
  quantities, in-article anomalies, publication dates.
- `text`: Italian word analysis (tokens, lemmas, matching terms, polarity) for the `aggregate` stage.
- `intervals`: value intervals and their tolerance, shared by in-article anomalies and cross-source conflicts.
"""
