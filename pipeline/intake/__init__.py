"""Reading the input folder: what is in `seeds/`, without leaving it."""
