"""The `report` stage's logic: data prep (`data`), charts (`figures`), HTML/Markdown (`page`)."""
