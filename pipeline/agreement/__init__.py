"""Pure logic of the `aggregate` stage: events, claims, typed conflicts and source agreement.

Modules: `text` (Italian tokens, lemmas, polarity), `events`, `claims`, `conflicts`, `scores`
(near-duplicates, source agreement, entity coverage) and `build` (the whole stage as one pure
function of the normalized tables).
"""
