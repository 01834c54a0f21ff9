"""Pure logic of the `aggregate` stage, in the order it runs:

`events` (which event each article and sentence reports), `facts` (one row per value a sentence
states, with its measure, scope, modality and attribution), `matching` (facts and sentences of
one event that state the same thing: claims), `conflicts` (incompatible facts of one claim, with
a confidence and a status), `scores` (near-duplicates, source agreement, entity coverage), and
`build` (the whole stage as one pure function of the normalized tables).
"""
