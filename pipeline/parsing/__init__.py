"""The logic of stage `parse`: documents cut into units (`markdown`, `html`), units given a kind
(`rules`), documents turned into the articles, blocks, links and sources tables (`document`).
`syntax` declares the markup patterns that `ingest` reads too."""
